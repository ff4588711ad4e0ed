import { meetsTarget, powHash } from "../chain/pow";
import type { BlockHeader } from "../chain/types";

/**
 * The simulator's miner: the same search as the worker (nonce 0, 1, 2, … until the PoW hash is below
 * the target) but synchronous, so a run stays deterministic; the simulator decides when the
 * result "arrives". Bounded: returns null after `maxAttempts`.
 */
export function mineSync(header: BlockHeader, maxAttempts: number): BlockHeader | null {
  for (let nonce = 0; nonce < maxAttempts; nonce++) {
    const candidate = { ...header, nonce: BigInt(nonce) };
    if (meetsTarget(powHash(candidate), header.powTarget)) return candidate;
  }
  return null;
}
