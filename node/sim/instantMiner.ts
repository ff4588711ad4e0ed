import { encodeHeader, NONCE_OFFSET } from "../chain/headerCodec";
import { keccak256Hex, uintBytes } from "../chain/bytes";
import { meetsTarget } from "../chain/pow";
import type { BlockHeader } from "../chain/types";

/**
 * The simulator's miner: the same search as the worker (nonce 0, 1, 2, … until the hash is below
 * the target) but synchronous, so a run stays deterministic; the simulator decides when the
 * result "arrives". Bounded: returns null after `maxAttempts`.
 */
export function mineSync(header: BlockHeader, maxAttempts: number): BlockHeader | null {
  const bytes = encodeHeader({ ...header, nonce: 0n });
  for (let nonce = 0; nonce < maxAttempts; nonce++) {
    bytes.set(uintBytes(nonce, 8), NONCE_OFFSET);
    if (meetsTarget(keccak256Hex(bytes), header.powTarget)) return { ...header, nonce: BigInt(nonce) };
  }
  return null;
}
