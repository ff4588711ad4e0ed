import type { Address } from "../types/primitives";
import type { ChainConfig, ChainState } from "./chainState";
import { isJailedKey } from "./jail";
import { livenessExclusionAt, type LivenessExclusion } from "./liveness";
import type { BlockBody } from "./types";

/**
 * The chain's own rules on who an election may choose, on top of L1's (registered, credential
 * valid, ranked by votes): a candidate jailed for equivocation (jail.ts), or whose signing key
 * signed nothing in the epoch or was down (liveness.ts), is left out.
 */
export type Exclusion = "equivocation" | LivenessExclusion;

/** A candidate the chain's rules left out of an election, and why (repchain_getElections). */
export interface ExcludedCandidate {
  readonly candidate: Address;
  readonly signingKey: Address;
  readonly reason: Exclusion;
}

/**
 * Why the election carried by the epoch's last block (body `body`, not applied yet) may not choose
 * `signingKey`, or null if it may.
 */
export function exclusionAt(
  config: ChainConfig,
  state: ChainState,
  body: Pick<BlockBody, "transactions" | "lastCommit">,
): (signingKey: Address) => Exclusion | null {
  const liveness = livenessExclusionAt(config, state, body);
  return (key) => (isJailedKey(state, key) ? "equivocation" : liveness(key));
}

/**
 * The active candidates that election leaves out, whatever their votes: what a recount from L1
 * needs to reach the chain's result (scripts/examples/representatives.ts).
 */
export function excludedCandidatesAt(
  config: ChainConfig,
  state: ChainState,
  body: Pick<BlockBody, "transactions" | "lastCommit">,
): ExcludedCandidate[] {
  const exclusion = exclusionAt(config, state, body);
  return state.governance.activeCandidates().flatMap(({ candidate, signingKey }) => {
    const reason = exclusion(signingKey);
    return reason === null ? [] : [{ candidate, signingKey, reason }];
  });
}
