import type { L1Position } from "../types/primitives";
import type { RegistryEventBody } from "./events";
import { applyAuditorAdded, applyAuditorRemoved } from "./auditors";
import {
  applyCandidateRegistered,
  applyCandidateRemoved,
  applyCandidateSlashed,
  applyCredentialsRenewed,
  applyRefundCredited,
  applySigningKeyRotated,
} from "./candidates";
import { RegistryError, RegistryErrorCode } from "./errors";
import {
  applyMaxVotesPerVoterChanged,
  applyMinDepositChanged,
  applyRepresentativeRuleChanged,
  applyThresholdChanged,
  applyUnbondingPeriodChanged,
} from "./parameters";
import type { RegistryState } from "./state";
import { applyDelegateVotesChanged, applyVoteCast, applyVoteRevoked, undoInverse } from "./votes";
import type { Undo } from "./transition";

/** Validates one event against the state, applies it and returns its undo. The one dispatch point. */
function transition(state: RegistryState, e: RegistryEventBody): Undo {
  switch (e.kind) {
    // Votes and power changes first: they are nearly all of the stream.
    case "VoteCast":
      return applyVoteCast(state, e);
    case "VoteRevoked":
      return applyVoteRevoked(state, e);
    case "DelegateVotesChanged":
      return applyDelegateVotesChanged(state, e);
    case "AuditorAdded":
      return applyAuditorAdded(state, e);
    case "AuditorRemoved":
      return applyAuditorRemoved(state, e);
    case "ThresholdChanged":
      return applyThresholdChanged(state, e);
    case "CandidateRegistered":
      return applyCandidateRegistered(state, e);
    case "CredentialsRenewed":
      return applyCredentialsRenewed(state, e);
    case "SigningKeyRotated":
      return applySigningKeyRotated(state, e);
    case "CandidateRemoved":
      return applyCandidateRemoved(state, e);
    case "CandidateSlashed":
      return applyCandidateSlashed(state, e);
    case "RefundCredited":
      return applyRefundCredited(state, e);
    case "MinDepositChanged":
      return applyMinDepositChanged(state, e);
    case "UnbondingPeriodChanged":
      return applyUnbondingPeriodChanged(state, e);
    case "RepresentativeRuleChanged":
      return applyRepresentativeRuleChanged(state, e);
    case "MaxVotesPerVoterChanged":
      return applyMaxVotesPerVoterChanged(state, e);
    default:
      throw new RegistryError({
        code: RegistryErrorCode.UNKNOWN_EVENT_KIND,
        kind: String((e as { kind: unknown }).kind),
      });
  }
}

/**
 * Applies one event in place, in O(1) (a power change: O(the account's approvals)). An event that contradicts the state throws a
 * RegistryError and leaves the state unchanged.
 */
export function applyEvent(state: RegistryState, e: RegistryEventBody): void {
  transition(state, e);
}

/** Undoes events[0..count) in reverse order. */
function rollBack(state: RegistryState, events: readonly RegistryEventBody[], undos: Undo[], count: number): void {
  for (let i = count - 1; i >= 0; i--) {
    const undo = undos[i];
    const e = events[i];
    if (undo !== null) undo();
    else if (e.kind === "VoteCast" || e.kind === "VoteRevoked" || e.kind === "DelegateVotesChanged") {
      undoInverse(state, e);
    }
  }
}

/**
 * Applies a batch in order, in place, in O(batch), all or nothing: if any event is rejected, the
 * events before it are undone and a BATCH_EVENT_REJECTED error names the event (its `cause` is
 * the rejection), so the state is exactly as before the call.
 */
export function applyEvents(state: RegistryState, events: readonly RegistryEventBody[]): void {
  const undos: Undo[] = new Array<Undo>(events.length);
  let index = 0;
  try {
    for (; index < events.length; index++) undos[index] = transition(state, events[index]);
  } catch (cause) {
    rollBack(state, events, undos, index);
    const e = events[index];
    const position = e as Partial<L1Position>;
    throw new RegistryError(
      {
        code: RegistryErrorCode.BATCH_EVENT_REJECTED,
        index,
        kind: e.kind,
        blockNumber: position.blockNumber,
        logIndex: position.logIndex,
      },
      { cause },
    );
  }
}
