import type { Address, Hex } from "../types/primitives";
import { RemovalReason } from "./events";
import { VoteBook } from "./voteBook";
import { approvalsView, powerView, tallyView } from "./voteViews";

/** Where a candidacy stands. Mirrors CandidateRegistry's status, plus Refunded (deposit credited back). */
export enum CandidateStatus {
  /** Registered and not removed: eligible while its credentials are unexpired. */
  Active = "active",
  /** Withdrawn, revoked or slashed; the deposit is escrowed until refundableAt. */
  Removed = "removed",
  /** Removed and the rest of the deposit credited to the operator: may register again unless slashed. */
  Refunded = "refunded",
}

/** One candidate as the registry last described it. A re-registration replaces the record. */
export interface CandidateRecord {
  status: CandidateStatus;
  operator: Address;
  /** The deposit held: what was escrowed, less what a slashing took. */
  deposit: bigint;
  qualificationHash: Hex;
  credentialExpiry: bigint;
  /** The key its L2 votes are signed with: the candidate address until rotated; kept across registrations. */
  signingKey: Address;
  /** The registrationNonce of its latest registration: the only registration an approval can count for. */
  registration: number;
  /** Why it was last removed; null while active since its latest registration. */
  removalReason: RemovalReason | null;
  /** When its deposit becomes refundable (unix seconds); 0n while active. */
  refundableAt: bigint;
  refunded: boolean;
  /** Slashed for equivocation: never electable again, and the key never registers again. */
  slashed: boolean;
}

/** The governed parameters of the three registries. */
export interface RegistryParameters {
  /** Auditor signatures needed to register a candidate (M). */
  threshold: bigint;
  minDeposit: bigint;
  /** Seconds between a removal and the refund of the deposit. */
  unbondingPeriod: bigint;
  /** The K rule: K = min(max, max(min, ceil(eligible / candidatesPerSeat))); candidatesPerSeat 0 → K = max. */
  minRepresentatives: bigint;
  maxRepresentatives: bigint;
  candidatesPerSeat: bigint;
  maxVotesPerVoter: bigint;
}

/**
 * The registry state a node rebuilds from the L1 events of the registries and the voting token.
 * It is mutated in place by applyEvent/applyEvents, O(1) per event except a power change, which
 * is O(approvals of that account) ≤ maxVotesPerVoter.
 *
 * An approval names the registration it was cast for. It is live while its candidate is Active
 * with that registration; a removal kills every approval of the candidate for ever (a
 * re-registration starts from zero), and the voter can only revoke a dead approval or have a new
 * vote replace it. `tally` is the live weight: for each Active candidate, the sum of the current
 * voting power of the voters whose approval of its current registration is live.
 *
 * The votes live in `book` (interned ids and typed arrays: a replay of a million votes allocates
 * nothing per event); `approvals`, `power` and `tally` are read-only map views of it.
 */
export interface RegistryState {
  auditors: Set<Address>;
  parameters: RegistryParameters;
  /** Written only through the reducer (candidates.ts), which keeps `book`'s live registrations in step. */
  candidates: Map<Address, CandidateRecord>;
  /** The votes, power and tallies, by interned id: the reducer's working form. */
  readonly book: VoteBook;
  /** voter → candidate → the registration approved (live or dead). A voter with none is absent. */
  readonly approvals: ReadonlyMap<Address, ReadonlyMap<Address, number>>;
  /** account → its voting power (the token's current votes); zero powers are absent. */
  readonly power: ReadonlyMap<Address, bigint>;
  /** candidate → live weighted votes; only Active candidates with a non-zero weight are present. */
  readonly tally: ReadonlyMap<Address, bigint>;
  /** signing key → the candidate it is (or was) bound to; a key is bound to one candidate for ever. */
  keyOwners: Map<Address, Address>;
}

/**
 * The contracts' defaults when no `...Changed` event has been seen: VoteRegistry starts with
 * maxVotesPerVoter = 30 (issue 2); every other parameter starts at zero.
 */
export const DEFAULT_GOVERNANCE_PARAMETERS: Readonly<RegistryParameters> = Object.freeze({
  threshold: 0n,
  minDeposit: 0n,
  unbondingPeriod: 0n,
  minRepresentatives: 0n,
  maxRepresentatives: 0n,
  candidatesPerSeat: 0n,
  maxVotesPerVoter: 30n,
});

/** A state with no auditors, candidates or votes; parameters default as the contracts do unless given. */
export function emptyRegistryState(parameters: Partial<RegistryParameters> = {}): RegistryState {
  const book = new VoteBook();
  return {
    auditors: new Set(),
    parameters: { ...DEFAULT_GOVERNANCE_PARAMETERS, ...parameters },
    candidates: new Map(),
    book,
    approvals: approvalsView(book),
    power: powerView(book),
    tally: tallyView(book),
    keyOwners: new Map(),
  };
}

/** The live weighted votes of `candidate` (0 unless Active). */
export function votesFor(state: RegistryState, candidate: Address): bigint {
  return state.tally.get(candidate) ?? 0n;
}

/** The voting power `account` holds now. */
export function powerOf(state: RegistryState, account: Address): bigint {
  return state.power.get(account) ?? 0n;
}

/** Whether `voter`'s approval of `candidate` (naming `registration`) counts now. */
export function isLive(state: RegistryState, candidate: Address, registration: number): boolean {
  const record = state.candidates.get(candidate);
  return record !== undefined && record.status === CandidateStatus.Active && record.registration === registration;
}

/** How a candidacy is shown to people (RPC, dashboard): active, how it ended, or its deposit paid back. */
export type PublicStatus = "active" | "withdrawn" | "revoked" | "slashed" | "refunded";

export function publicStatus(record: Pick<CandidateRecord, "status" | "removalReason" | "slashed">): PublicStatus {
  if (record.slashed) return "slashed";
  if (record.status === CandidateStatus.Active) return "active";
  if (record.status === CandidateStatus.Refunded) return "refunded";
  return record.removalReason === RemovalReason.Withdrawn ? "withdrawn" : "revoked";
}
