import type { L1BlockRef } from "../types/l1";
import type { StoredL1Header } from "../store/l1Store";
import { L1Error, L1ErrorCode } from "./errors";
import { fetchHeaders } from "./headers";
import type { RpcTransport } from "./rpc";

/**
 * Finds where the stored history and the canonical chain part: the highest kept header (at or
 * above `floor`, the confirmed head or the bootstrap block) whose hash is still canonical.
 * `window` is the kept headers from `floor` up, in descending order. If even `floor` is no longer
 * canonical, the reorg reached a block consumers already read, and the follower must halt: it
 * throws DEEP_REORG (or DEPLOYMENT_NOT_FOUND when the floor is the deployment's parent block).
 */
export async function findCommonAncestor(
  rpc: RpcTransport,
  window: readonly StoredL1Header[],
  floorIsBootstrap: boolean,
): Promise<L1BlockRef> {
  const canonical = await fetchHeaders(
    rpc,
    window.map((h) => h.number),
  );
  for (const stored of window) {
    if (canonical.get(stored.number)?.hash === stored.hash) return { number: stored.number, hash: stored.hash };
  }
  const floor = window[window.length - 1];
  const canonicalHash = canonical.get(floor.number)?.hash ?? null;
  if (floorIsBootstrap) {
    throw new L1Error({
      code: L1ErrorCode.DEPLOYMENT_NOT_FOUND,
      blockNumber: floor.number,
      expectedHash: floor.hash,
      actualHash: canonicalHash,
    });
  }
  throw new L1Error({ code: L1ErrorCode.DEEP_REORG, blockNumber: floor.number, storedHash: floor.hash, canonicalHash });
}
