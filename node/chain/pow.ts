import type { Hex } from "../types/primitives";
import { concatBytes, keccak256, keccak256Hex, uintBytes } from "./bytes";
import { encodeHeader, NONCE_OFFSET } from "./headerCodec";
import type { BlockHeader } from "./types";

/** The easiest target: every hash but 2^256 - 1 itself qualifies. */
export const MAX_TARGET = (1n << 256n) - 1n;
/** Retarget never moves the target by more than this factor per epoch (as Bitcoin clamps at 4). */
export const RETARGET_CLAMP = 4n;

/** Bytes of the PoW preimage: the seal hash (32) then the nonce (8, big-endian). One keccak-f block. */
export const POW_PREIMAGE_BYTES = 40;

/**
 * The seal hash: keccak256 of the canonical header without its nonce (its first 256 bytes). A miner
 * computes it once per job, as Ethereum's ethash did with its "header hash without nonce".
 */
export function sealHash(header: BlockHeader): Uint8Array {
  return keccak256(encodeHeader(header).subarray(0, NONCE_OFFSET));
}

/**
 * The PoW hash: keccak256(sealHash ‖ uint64 nonce). Its 40-byte preimage is one keccak-f block, where
 * hashing the whole header would take three: each attempt costs a third as much, and the block's
 * identity (headerHash, over all its bytes, nonce included) is unchanged.
 */
export function powHash(header: BlockHeader): Hex {
  return keccak256Hex(concatBytes([sealHash(header), uintBytes(header.nonce, 8)]));
}

/** Proof of work: the PoW hash, as a big-endian uint256, must be strictly below the target. */
export function meetsTarget(hash: Hex, target: bigint): boolean {
  return BigInt(hash) < target;
}

/**
 * The next epoch's target. The epoch took `actualMs` (last block's timestamp minus the previous
 * epoch's last block's, or genesis) where `epochLength × targetBlockTimeMs` was wanted; the target
 * scales by actual/expected — slower epochs get an easier (larger) target — clamped to
 * [target / 4, target × 4] and to [1, MAX_TARGET]. Integer arithmetic only, so every node agrees.
 */
export function retarget(target: bigint, actualMs: number, epochLength: number, targetBlockTimeMs: number): bigint {
  const expected = BigInt(epochLength) * BigInt(targetBlockTimeMs);
  const actual = BigInt(Math.max(1, actualMs));
  let next = (target * actual) / expected;
  const low = target / RETARGET_CLAMP;
  const high = target * RETARGET_CLAMP;
  if (next < low) next = low;
  if (next > high) next = high;
  if (next < 1n) next = 1n;
  if (next > MAX_TARGET) next = MAX_TARGET;
  return next;
}
