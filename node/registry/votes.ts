import { RegistryError, RegistryErrorCode } from "./errors";
import type { RegistryState } from "./state";
import type { EventOf, Undo } from "./transition";
import { requireEventField } from "./validate";

// The hot path of a replay: each vote event costs two interned-id lookups (voter, candidate) and
// array work in the VoteBook; the CandidateRecord map is read only to describe a rejection.

function candidateStatus(state: RegistryState, candidate: EventOf<"VoteCast">["candidate"]): string {
  return state.candidates.get(candidate)?.status ?? "unregistered";
}

/**
 * A voter approves the current registration of an active candidate it holds no approval of (the
 * contract replaces a dead approval by a VoteRevoked first). maxVotesPerVoter is not checked here:
 * the limit is the contract's, applied when the vote was cast; the reducer records the outcome.
 * The approval weighs the voter's whole power, now and after every later change of it.
 */
export function applyVoteCast(state: RegistryState, e: EventOf<"VoteCast">): Undo {
  const book = state.book;
  const candidate = book.candidateId(e.candidate);
  const live = candidate === undefined ? 0 : book.liveRegistration(candidate);
  if (candidate === undefined || live === 0) {
    throw new RegistryError({
      code: RegistryErrorCode.CANDIDATE_NOT_ACTIVE,
      candidate: e.candidate,
      status: candidateStatus(state, e.candidate),
    });
  }
  if (live !== e.registration) {
    throw new RegistryError({
      code: RegistryErrorCode.REGISTRATION_MISMATCH,
      candidate: e.candidate,
      expected: live,
      registration: e.registration,
    });
  }
  let voter = book.voterId(e.voter);
  if (voter === undefined) {
    // A voter's address enters the state here or with its first power: checked once, then interned.
    requireEventField(e, "voter");
    voter = book.addVoter(e.voter);
  } else if (book.approval(voter, candidate) !== undefined) {
    throw new RegistryError({ code: RegistryErrorCode.VOTE_ALREADY_CAST, voter: e.voter, candidate: e.candidate });
  }
  book.approve(voter, candidate, e.registration);
  return null;
}

/** A voter withdraws an approval it holds, live or dead, naming the registration it was cast for. */
export function applyVoteRevoked(state: RegistryState, e: EventOf<"VoteRevoked">): Undo {
  const book = state.book;
  const voter = book.voterId(e.voter);
  const candidate = book.candidateId(e.candidate);
  if (voter === undefined || candidate === undefined || book.approval(voter, candidate) !== e.registration) {
    throw new RegistryError({ code: RegistryErrorCode.VOTE_NOT_FOUND, voter: e.voter, candidate: e.candidate });
  }
  book.withdraw(voter, candidate);
  return null;
}

/**
 * The voting token moved `delegate`'s power. previousVotes must be the power recorded here: the
 * follower reads the token from its own deployment block, so a mismatch means a gap in the event
 * stream. Each live approval of the account moves by the difference: O(its approvals) ≤ the cap.
 */
export function applyDelegateVotesChanged(state: RegistryState, e: EventOf<"DelegateVotesChanged">): Undo {
  const book = state.book;
  let account = book.voterId(e.delegate);
  const current = account === undefined ? 0n : book.power(account);
  if (e.previousVotes !== current) {
    throw new RegistryError({
      code: RegistryErrorCode.POWER_MISMATCH,
      account: e.delegate,
      expected: current,
      previousVotes: e.previousVotes,
    });
  }
  // The tally adds powers as 256-bit digits: a power outside uint256 is refused, not wrapped.
  requireEventField(e, "newVotes");
  if (account === undefined) {
    requireEventField(e, "delegate");
    account = book.addVoter(e.delegate);
  }
  book.setPower(account, e.newVotes);
  return null;
}

/** The events whose transition returns null: their undo is computed from the event itself. */
export type InverseUndoneEvent = EventOf<"VoteCast"> | EventOf<"VoteRevoked"> | EventOf<"DelegateVotesChanged">;

/**
 * Reverts an applied VoteCast, VoteRevoked or DelegateVotesChanged (the state must be as right
 * after it, so every id it names is interned).
 */
export function undoInverse(state: RegistryState, e: InverseUndoneEvent): void {
  const book = state.book;
  if (e.kind === "DelegateVotesChanged") {
    book.setPower(book.voterId(e.delegate) as number, e.previousVotes);
    return;
  }
  const voter = book.voterId(e.voter) as number;
  const candidate = book.candidateId(e.candidate) as number;
  if (e.kind === "VoteCast") book.withdraw(voter, candidate);
  else book.approve(voter, candidate, e.registration);
}
