import type { ChainState } from "../chain/chainState";
import { DEEP_REORG_ACTION, L1Error, L1ErrorCode } from "../l1/errors";
import { fetchHeaders } from "../l1/headers";
import type { RpcTransport } from "../l1/rpc";
import type { L1HaltReport } from "../rpc/nodeView";

/** The follower halted because L1 reorganised below its confirmed head (it touched nothing). */
export function isDeepReorg(err: unknown): err is L1Error {
  return err instanceof L1Error && err.type.code === L1ErrorCode.DEEP_REORG;
}

/**
 * The report of a deep reorg: the follower's confirmed block (its stored hash, L1's now) and the
 * anchor of the chain's newest finalized block (its hash, L1's now, asked here: L1 may have moved
 * further). An unreachable L1 leaves that hash null rather than delaying the report.
 */
export async function deepReorgReport(
  err: L1Error,
  state: Pick<ChainState, "height" | "l1Anchor">,
  l1Confirmations: number,
  rpc: RpcTransport,
  nowMs: number,
): Promise<L1HaltReport> {
  if (err.type.code !== L1ErrorCode.DEEP_REORG) throw new TypeError(`not a deep reorg: ${err.message}`);
  const anchor = state.l1Anchor;
  const l1HashNow = await fetchHeaders(rpc, [anchor.number]).then(
    (headers) => headers.get(anchor.number)?.hash ?? null,
    () => null,
  );
  return {
    code: err.type.code,
    atMs: nowMs,
    l1Confirmations,
    confirmedBlock: { number: err.type.blockNumber, hash: err.type.storedHash, l1HashNow: err.type.canonicalHash },
    chainAnchor: { height: state.height, number: anchor.number, hash: anchor.hash, l1HashNow },
    message:
      `L1 block ${err.type.blockNumber}, confirmed ${l1Confirmations} deep as ${err.type.storedHash}, is now ` +
      `${err.type.canonicalHash ?? "missing"}; the chain at height ${state.height} anchors to L1 block ` +
      `${anchor.number} ${anchor.hash}, which L1 now has as ${l1HashNow ?? "missing or unknown"}. ` +
      "This node stopped importing L1 events and L2 blocks and signs nothing; RPC keeps answering.",
    action: DEEP_REORG_ACTION,
  };
}
