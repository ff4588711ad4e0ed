import type { Hex } from "../types/primitives";
import { concatBytes, fromHex, keccak256Hex, uintBytes } from "./bytes";
import { ZERO_HASH } from "./bytes";
import { merkleRoot } from "./merkle";
import type { GovernanceCodec } from "./registryPorts";
import type { BlockBody, Representative, Transaction } from "./types";

/** The transaction fields a sender signs: from (20) ‖ nonce (8) ‖ payload length (4) ‖ payload. */
export function encodeUnsignedTransaction(tx: Omit<Transaction, "signature">): Uint8Array {
  const payload = fromHex(tx.payload);
  return concatBytes([fromHex(tx.from, 20), uintBytes(tx.nonce, 8), uintBytes(payload.length, 4), payload]);
}

/** The signed transaction: its unsigned encoding followed by the 65-byte signature. */
export function encodeTransaction(tx: Transaction): Uint8Array {
  return concatBytes([encodeUnsignedTransaction(tx), fromHex(tx.signature, 65)]);
}

/** A transaction's id: keccak256 of its signed encoding (signatures are low-s, so not malleable). */
export function transactionHash(tx: Transaction): Hex {
  return keccak256Hex(encodeTransaction(tx));
}

export function txRoot(transactions: readonly Transaction[]): Hex {
  return merkleRoot(transactions.map(encodeTransaction));
}

export function eventsRoot(codec: GovernanceCodec, body: Pick<BlockBody, "events">): Hex {
  return merkleRoot(body.events.map((e) => codec.encodeEvent(e)));
}

/** keccak256(uint32 count ‖ (address ‖ uint256 votes)*): ZERO_HASH means "no election in this block". */
export function electionResultHash(result: readonly Representative[] | null): Hex {
  if (result === null) return ZERO_HASH;
  return keccak256Hex(
    concatBytes([
      uintBytes(result.length, 4),
      ...result.flatMap((r) => [fromHex(r.address, 20), uintBytes(r.votes, 32)]),
    ]),
  );
}
