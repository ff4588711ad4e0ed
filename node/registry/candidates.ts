import type { Address } from "../types/primitives";
import { GovernanceError, GovernanceErrorCode } from "./errors";
import { CandidateStatus, type CandidateRecord, type GovernanceState } from "./state";
import type { EventOf, Undo } from "./transition";
import { requireEventField } from "./validate";

// Candidate records are replaced, never edited: the undo of any candidate event is putting the
// previous record object back.
function replaceRecord(state: GovernanceState, candidate: Address, next: CandidateRecord): Undo {
  const previous = state.candidates.get(candidate);
  state.candidates.set(candidate, next);
  return previous === undefined
    ? () => state.candidates.delete(candidate)
    : () => state.candidates.set(candidate, previous);
}

function requireActive(state: GovernanceState, candidate: Address): CandidateRecord {
  const record = state.candidates.get(candidate);
  if (record === undefined || record.status !== CandidateStatus.Active) {
    throw new GovernanceError({
      code: GovernanceErrorCode.CANDIDATE_NOT_ACTIVE,
      candidate,
      status: record?.status ?? "unregistered",
    });
  }
  return record;
}

/**
 * A first registration, or a re-registration after the previous deposit was refunded (possibly by
 * a new operator). Approvals given before a removal were kept, so they count again from here.
 */
export function applyCandidateRegistered(state: GovernanceState, e: EventOf<"CandidateRegistered">): Undo {
  const previous = state.candidates.get(e.candidate);
  if (previous?.status === CandidateStatus.Active) {
    throw new GovernanceError({ code: GovernanceErrorCode.CANDIDATE_ALREADY_REGISTERED, candidate: e.candidate });
  }
  if (previous?.status === CandidateStatus.Removed) {
    throw new GovernanceError({ code: GovernanceErrorCode.DEPOSIT_NOT_REFUNDED, candidate: e.candidate });
  }
  requireEventField(e, "candidate");
  requireEventField(e, "operator");
  requireEventField(e, "qualificationHash");
  const minDeposit = state.parameters.minDeposit;
  if (e.deposit < minDeposit) {
    throw new GovernanceError({
      code: GovernanceErrorCode.DEPOSIT_BELOW_MINIMUM,
      candidate: e.candidate,
      deposit: e.deposit,
      minDeposit,
    });
  }
  return replaceRecord(state, e.candidate, {
    status: CandidateStatus.Active,
    operator: e.operator,
    deposit: e.deposit,
    qualificationHash: e.qualificationHash,
    credentialExpiry: e.credentialExpiry,
    removalReason: null,
    refundableAt: 0n,
    refunded: false,
  });
}

export function applyCredentialsRenewed(state: GovernanceState, e: EventOf<"CredentialsRenewed">): Undo {
  const record = requireActive(state, e.candidate);
  return replaceRecord(state, e.candidate, { ...record, credentialExpiry: e.credentialExpiry });
}

export function applyCandidateRemoved(state: GovernanceState, e: EventOf<"CandidateRemoved">): Undo {
  const record = requireActive(state, e.candidate);
  return replaceRecord(state, e.candidate, {
    ...record,
    status: CandidateStatus.Removed,
    removalReason: e.reason,
    refundableAt: e.refundableAt,
  });
}

/** The deposit goes back to the operator that paid it, in full, once. */
export function applyDepositRefunded(state: GovernanceState, e: EventOf<"DepositRefunded">): Undo {
  const record = state.candidates.get(e.candidate);
  if (record === undefined || record.status !== CandidateStatus.Removed) {
    throw new GovernanceError({
      code: GovernanceErrorCode.CANDIDATE_NOT_REMOVED,
      candidate: e.candidate,
      status: record?.status ?? "unregistered",
    });
  }
  if (record.operator !== e.operator || record.deposit !== e.amount) {
    throw new GovernanceError({
      code: GovernanceErrorCode.REFUND_MISMATCH,
      candidate: e.candidate,
      expectedOperator: record.operator,
      operator: e.operator,
      expectedAmount: record.deposit,
      amount: e.amount,
    });
  }
  return replaceRecord(state, e.candidate, { ...record, status: CandidateStatus.Refunded, refunded: true });
}
