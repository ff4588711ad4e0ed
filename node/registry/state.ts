import type { Address, Hex } from "../types/primitives";
import type { RemovalReason } from "./events";

/** Where a candidacy stands. Mirrors CandidateRegistry's status, plus Refunded (deposit paid back). */
export enum CandidateStatus {
  /** Registered and not removed: eligible while its credentials are unexpired. */
  Active = "active",
  /** Withdrawn or revoked; the deposit is escrowed until refundableAt, then refundable. */
  Removed = "removed",
  /** Removed and the deposit paid back: the candidate may register again. */
  Refunded = "refunded",
}

/** One candidate as the registry last described it. A re-registration overwrites the record. */
export interface CandidateRecord {
  status: CandidateStatus;
  operator: Address;
  deposit: bigint;
  qualificationHash: Hex;
  credentialExpiry: bigint;
  /** Why it was last removed; null while active since its latest registration. */
  removalReason: RemovalReason | null;
  /** When its deposit becomes refundable (unix seconds); 0n while active. */
  refundableAt: bigint;
  refunded: boolean;
}

/** The governed parameters of the three registries. */
export interface GovernanceParameters {
  /** Auditor signatures needed to register a candidate (M). */
  threshold: bigint;
  minDeposit: bigint;
  /** Seconds between a removal and the refund of the deposit. */
  unbondingPeriod: bigint;
  /** K, the number of representatives elected each epoch. */
  representativeCount: bigint;
  maxVotesPerVoter: bigint;
}

/**
 * The registry state a node rebuilds from the L1 governance events. It is mutated in place by
 * applyEvent/applyEvents at O(1) per event.
 *
 * Approvals of a removed candidate stay in the voters' sets and in the tally (the contracts keep
 * them too): a removed candidate is only ineligible, and counts again if it registers again.
 * Vote counts are JS numbers: one voter adds at most one approval per candidate, so a count never
 * nears 2^53.
 */
export interface GovernanceState {
  auditors: Set<Address>;
  parameters: GovernanceParameters;
  candidates: Map<Address, CandidateRecord>;
  /** voter → the candidates it approves. A voter whose set becomes empty is deleted. */
  approvals: Map<Address, Set<Address>>;
  /** candidate → number of voters approving it. A candidate with no approval has no entry. */
  tally: Map<Address, number>;
}

/**
 * The contracts' defaults when no `...Changed` event has been seen: VoteRegistry starts with
 * maxVotesPerVoter = 30 (issue 2); every other parameter starts at zero.
 */
export const DEFAULT_GOVERNANCE_PARAMETERS: Readonly<GovernanceParameters> = Object.freeze({
  threshold: 0n,
  minDeposit: 0n,
  unbondingPeriod: 0n,
  representativeCount: 0n,
  maxVotesPerVoter: 30n,
});

/** A state with no auditors, candidates or votes; parameters default as the contracts do unless given. */
export function emptyGovernanceState(parameters: Partial<GovernanceParameters> = {}): GovernanceState {
  return {
    auditors: new Set(),
    parameters: { ...DEFAULT_GOVERNANCE_PARAMETERS, ...parameters },
    candidates: new Map(),
    approvals: new Map(),
    tally: new Map(),
  };
}

/** The number of voters approving `candidate` (whatever its status). */
export function votesFor(state: GovernanceState, candidate: Address): number {
  return state.tally.get(candidate) ?? 0;
}
