import type { RegistryState } from "../registry/state";
import type { CandidateStatus } from "../registry/state";
import type { Address } from "../types/primitives";
import { isEligible, ranksAbove } from "./elect";

export interface CandidateStanding {
  readonly address: Address;
  readonly signingKey: Address;
  readonly status: CandidateStatus;
  readonly slashed: boolean;
  readonly credentialExpiry: bigint;
  /** Live weighted votes (token units); 0 for a removed candidate, whose approvals are dead. */
  readonly votes: bigint;
  readonly eligible: boolean;
}

/**
 * Every registered candidate (any status) with its votes and eligibility at snapshotTime, in
 * election order (votes desc, lower address first). O(C log C): for display and RPC, where the
 * election itself (elect) only needs the top k.
 */
export function candidateStandings(state: RegistryState, snapshotTime: bigint): CandidateStanding[] {
  const standings = [...state.candidates].map(([address, record]) => ({
    address,
    signingKey: record.signingKey,
    status: record.status,
    slashed: record.slashed,
    credentialExpiry: record.credentialExpiry,
    votes: state.tally.get(address) ?? 0n,
    eligible: isEligible(record, snapshotTime),
  }));
  return standings.sort((a, b) => (ranksAbove(a, b) ? -1 : ranksAbove(b, a) ? 1 : 0));
}
