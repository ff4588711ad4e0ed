import type { Address } from "../types/primitives";
import { GovernanceError, GovernanceErrorCode } from "./errors";
import { CandidateStatus, type GovernanceState } from "./state";
import type { EventOf, Undo } from "./transition";
import { requireEventField } from "./validate";

function addApproval(
  state: GovernanceState,
  voter: Address,
  candidate: Address,
  approved = state.approvals.get(voter),
): void {
  if (approved === undefined) {
    approved = new Set();
    state.approvals.set(voter, approved);
  }
  approved.add(candidate);
  state.tally.set(candidate, (state.tally.get(candidate) ?? 0) + 1);
}

// Empty sets and zero counts are deleted, so equal approvals always mean equal maps.
function removeApproval(
  state: GovernanceState,
  voter: Address,
  candidate: Address,
  approved = state.approvals.get(voter) as Set<Address>,
): void {
  approved.delete(candidate);
  if (approved.size === 0) state.approvals.delete(voter);
  const count = (state.tally.get(candidate) as number) - 1;
  if (count === 0) state.tally.delete(candidate);
  else state.tally.set(candidate, count);
}

/**
 * A voter approves an active candidate it did not approve yet. maxVotesPerVoter is not checked
 * here: the limit is the contract's, applied when the vote was cast, and the reducer records the
 * outcome rather than re-deciding it.
 */
export function applyVoteCast(state: GovernanceState, e: EventOf<"VoteCast">): Undo {
  const record = state.candidates.get(e.candidate);
  if (record === undefined || record.status !== CandidateStatus.Active) {
    throw new GovernanceError({
      code: GovernanceErrorCode.CANDIDATE_NOT_ACTIVE,
      candidate: e.candidate,
      status: record?.status ?? "unregistered",
    });
  }
  const approved = state.approvals.get(e.voter);
  if (approved === undefined) requireEventField(e, "voter");
  else if (approved.has(e.candidate)) {
    throw new GovernanceError({ code: GovernanceErrorCode.VOTE_ALREADY_CAST, voter: e.voter, candidate: e.candidate });
  }
  addApproval(state, e.voter, e.candidate, approved);
  return null;
}

/** A voter withdraws an approval it holds; allowed whatever the candidate's status. */
export function applyVoteRevoked(state: GovernanceState, e: EventOf<"VoteRevoked">): Undo {
  const approved = state.approvals.get(e.voter);
  if (approved?.has(e.candidate) !== true) {
    throw new GovernanceError({ code: GovernanceErrorCode.VOTE_NOT_FOUND, voter: e.voter, candidate: e.candidate });
  }
  removeApproval(state, e.voter, e.candidate, approved);
  return null;
}

/** Reverts an applied VoteCast or VoteRevoked: the undo of the transitions above. */
export function undoVote(state: GovernanceState, e: EventOf<"VoteCast"> | EventOf<"VoteRevoked">): void {
  if (e.kind === "VoteCast") removeApproval(state, e.voter, e.candidate);
  else addApproval(state, e.voter, e.candidate);
}
