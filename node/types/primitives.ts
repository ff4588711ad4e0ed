/**
 * The primitive values every layer shares: addresses, hex strings and an L1 log position.
 *
 * Conventions: addresses are lowercase 0x-hex (so string order equals numeric order, which the
 * election's tie-break relies on); uint256/uint64 contract values are bigint; L1 block numbers and
 * log indexes are number.
 */

/** A 0x-prefixed lowercase 20-byte address. */
export type Address = `0x${string}`;
/** A 0x-prefixed lowercase hex string (hashes, signatures, raw bytes). */
export type Hex = `0x${string}`;

/** Where an event sits on L1: enough to dedupe it and to detect that a reorg removed it. */
export interface L1Position {
  readonly blockNumber: number;
  readonly blockHash: Hex;
  readonly transactionHash: Hex;
  readonly logIndex: number;
}
