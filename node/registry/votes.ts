import type { Address } from "../types/primitives";
import { RegistryError, RegistryErrorCode } from "./errors";
import { CandidateStatus, isLive, powerOf, type RegistryState } from "./state";
import type { EventOf, Undo } from "./transition";
import { requireEventField } from "./validate";

/** Moves the live votes of `candidate` by `delta`; a zero total is deleted, so equal tallies are equal maps. */
export function addWeight(state: RegistryState, candidate: Address, delta: bigint): void {
  if (delta === 0n) return;
  const total = (state.tally.get(candidate) ?? 0n) + delta;
  if (total === 0n) state.tally.delete(candidate);
  else state.tally.set(candidate, total);
}

function addApproval(state: RegistryState, voter: Address, candidate: Address, registration: number): void {
  let ballot = state.approvals.get(voter);
  if (ballot === undefined) {
    ballot = new Map();
    state.approvals.set(voter, ballot);
  }
  ballot.set(candidate, registration);
  if (isLive(state, candidate, registration)) addWeight(state, candidate, powerOf(state, voter));
}

// Empty ballots are deleted, so equal approvals always mean equal maps.
function removeApproval(state: RegistryState, voter: Address, candidate: Address): void {
  const ballot = state.approvals.get(voter) as Map<Address, number>;
  const registration = ballot.get(candidate) as number;
  ballot.delete(candidate);
  if (ballot.size === 0) state.approvals.delete(voter);
  if (isLive(state, candidate, registration)) addWeight(state, candidate, -powerOf(state, voter));
}

/**
 * A voter approves the current registration of an active candidate it holds no approval of (the
 * contract replaces a dead approval by a VoteRevoked first). maxVotesPerVoter is not checked here:
 * the limit is the contract's, applied when the vote was cast; the reducer records the outcome.
 * The approval weighs the voter's whole power, now and after every later change of it.
 */
export function applyVoteCast(state: RegistryState, e: EventOf<"VoteCast">): Undo {
  const record = state.candidates.get(e.candidate);
  if (record === undefined || record.status !== CandidateStatus.Active) {
    throw new RegistryError({
      code: RegistryErrorCode.CANDIDATE_NOT_ACTIVE,
      candidate: e.candidate,
      status: record?.status ?? "unregistered",
    });
  }
  if (record.registration !== e.registration) {
    throw new RegistryError({
      code: RegistryErrorCode.REGISTRATION_MISMATCH,
      candidate: e.candidate,
      expected: record.registration,
      registration: e.registration,
    });
  }
  const ballot = state.approvals.get(e.voter);
  if (ballot === undefined) requireEventField(e, "voter");
  else if (ballot.has(e.candidate)) {
    throw new RegistryError({ code: RegistryErrorCode.VOTE_ALREADY_CAST, voter: e.voter, candidate: e.candidate });
  }
  addApproval(state, e.voter, e.candidate, e.registration);
  return null;
}

/** A voter withdraws an approval it holds, live or dead, naming the registration it was cast for. */
export function applyVoteRevoked(state: RegistryState, e: EventOf<"VoteRevoked">): Undo {
  if (state.approvals.get(e.voter)?.get(e.candidate) !== e.registration) {
    throw new RegistryError({ code: RegistryErrorCode.VOTE_NOT_FOUND, voter: e.voter, candidate: e.candidate });
  }
  removeApproval(state, e.voter, e.candidate);
  return null;
}

/**
 * The voting token moved `delegate`'s power. previousVotes must be the power recorded here: the
 * follower reads the token from its own deployment block, so a mismatch means a gap in the event
 * stream. Each live approval of the account moves by the difference: O(its approvals) ≤ the cap.
 */
export function applyDelegateVotesChanged(state: RegistryState, e: EventOf<"DelegateVotesChanged">): Undo {
  const current = powerOf(state, e.delegate);
  if (e.previousVotes !== current) {
    throw new RegistryError({
      code: RegistryErrorCode.POWER_MISMATCH,
      account: e.delegate,
      expected: current,
      previousVotes: e.previousVotes,
    });
  }
  if (current === 0n && !state.approvals.has(e.delegate)) requireEventField(e, "delegate");
  setPower(state, e.delegate, e.newVotes);
  return null;
}

function setPower(state: RegistryState, account: Address, votes: bigint): void {
  const delta = votes - powerOf(state, account);
  if (votes === 0n) state.power.delete(account);
  else state.power.set(account, votes);
  const ballot = state.approvals.get(account);
  if (ballot === undefined || delta === 0n) return;
  for (const [candidate, registration] of ballot) {
    if (isLive(state, candidate, registration)) addWeight(state, candidate, delta);
  }
}

/** The events whose transition returns null: their undo is computed from the event itself. */
export type InverseUndoneEvent = EventOf<"VoteCast"> | EventOf<"VoteRevoked"> | EventOf<"DelegateVotesChanged">;

/** Reverts an applied VoteCast, VoteRevoked or DelegateVotesChanged (the state must be as right after it). */
export function undoInverse(state: RegistryState, e: InverseUndoneEvent): void {
  if (e.kind === "VoteCast") removeApproval(state, e.voter, e.candidate);
  else if (e.kind === "VoteRevoked") addApproval(state, e.voter, e.candidate, e.registration);
  else setPower(state, e.delegate, e.previousVotes);
}
