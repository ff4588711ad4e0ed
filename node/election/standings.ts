import type { GovernanceState } from "../registry/state";
import type { CandidateStatus } from "../registry/state";
import type { Address } from "../types/primitives";
import { isEligible, ranksAbove } from "./elect";

export interface CandidateStanding {
  readonly address: Address;
  readonly status: CandidateStatus;
  readonly credentialExpiry: bigint;
  readonly votes: bigint;
  readonly eligible: boolean;
}

/**
 * Every registered candidate (any status) with its votes and eligibility at snapshotTime, in
 * election order (votes desc, lower address first). O(C log C): for display and RPC, where the
 * election itself (elect) only needs the top k.
 */
export function candidateStandings(state: GovernanceState, snapshotTime: bigint): CandidateStanding[] {
  const standings = [...state.candidates].map(([address, record]) => ({
    address,
    status: record.status,
    credentialExpiry: record.credentialExpiry,
    votes: state.tally.get(address) ?? 0,
    eligible: isEligible(record, snapshotTime),
  }));
  standings.sort((a, b) => (ranksAbove(a, b) ? -1 : ranksAbove(b, a) ? 1 : 0));
  return standings.map((s) => ({ ...s, votes: BigInt(s.votes) }));
}
