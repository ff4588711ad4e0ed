import type { ChainState } from "../chain/chainState";
import type { Address } from "../types/primitives";

export type Role = "representative" | "candidate" | "ordinary";

/**
 * A node's role for the epoch of block state.height + 1, derived from the chain alone: in the
 * epoch's set → representative (proposes and votes); otherwise an active candidate on L1 (e.g. a
 * former representative not re-elected) → candidate; otherwise (never registered, withdrawn or
 * revoked) → ordinary. The set only changes when an epoch's last block is applied, so a role
 * changes exactly at an epoch's first block.
 */
export function roleOf(state: ChainState, address: Address): Role {
  if (state.representatives.some((r) => r.signingKey === address)) return "representative";
  return state.governance.isActiveCandidate(address) ? "candidate" : "ordinary";
}
