import type { Address } from "../types/primitives";
import { RegistryError, RegistryErrorCode } from "./errors";
import { CandidateStatus, type CandidateRecord, type RegistryState } from "./state";
import type { EventOf, Undo } from "./transition";
import { requireEventField } from "./validate";

/** The registration whose approvals count under `record`: its registration while Active, else 0. */
const liveRegistration = (record: CandidateRecord | undefined): number =>
  record?.status === CandidateStatus.Active ? record.registration : 0;

// Candidate records are replaced, never edited: the undo of any candidate event is putting the
// previous record object back (and whatever else the event touched). The vote book's live
// registration follows every replacement, here and only here.
function replaceRecord(state: RegistryState, candidate: Address, next: CandidateRecord): Undo {
  const previous = state.candidates.get(candidate);
  state.candidates.set(candidate, next);
  state.book.setLiveRegistration(candidate, liveRegistration(next));
  return () => {
    if (previous === undefined) state.candidates.delete(candidate);
    else state.candidates.set(candidate, previous);
    state.book.setLiveRegistration(candidate, liveRegistration(previous));
  };
}

function requireActive(state: RegistryState, candidate: Address): CandidateRecord {
  const record = state.candidates.get(candidate);
  if (record === undefined || record.status !== CandidateStatus.Active) {
    throw new RegistryError({
      code: RegistryErrorCode.CANDIDATE_NOT_ACTIVE,
      candidate,
      status: record?.status ?? "unregistered",
    });
  }
  return record;
}

/** Binds `key` to `candidate` for ever (a no-op if it already is); throws if another candidate holds it. */
function bindKey(state: RegistryState, key: Address, candidate: Address): Undo {
  const owner = state.keyOwners.get(key);
  if (owner === candidate) return null;
  if (owner !== undefined) throw new RegistryError({ code: RegistryErrorCode.KEY_TAKEN, key, owner });
  state.keyOwners.set(key, candidate);
  return () => state.keyOwners.delete(key);
}

function both(a: Undo, b: Undo): Undo {
  return () => {
    b?.();
    a?.();
  };
}

function requireRegistrable(state: RegistryState, e: EventOf<"CandidateRegistered">): CandidateRecord | undefined {
  const previous = state.candidates.get(e.candidate);
  if (previous?.status === CandidateStatus.Active) {
    throw new RegistryError({ code: RegistryErrorCode.CANDIDATE_ALREADY_REGISTERED, candidate: e.candidate });
  }
  if (previous?.status === CandidateStatus.Removed) {
    throw new RegistryError({ code: RegistryErrorCode.DEPOSIT_NOT_REFUNDED, candidate: e.candidate });
  }
  if (previous?.slashed === true) {
    throw new RegistryError({ code: RegistryErrorCode.CANDIDATE_SLASHED, candidate: e.candidate });
  }
  requireEventField(e, "registration");
  if (e.registration <= (previous?.registration ?? 0)) {
    throw new RegistryError({
      code: RegistryErrorCode.REGISTRATION_MISMATCH,
      candidate: e.candidate,
      expected: (previous?.registration ?? 0) + 1,
      registration: e.registration,
    });
  }
  requireEventField(e, "candidate");
  requireEventField(e, "operator");
  requireEventField(e, "qualificationHash");
  const minDeposit = state.parameters.minDeposit;
  if (e.deposit < minDeposit) {
    throw new RegistryError({
      code: RegistryErrorCode.DEPOSIT_BELOW_MINIMUM,
      candidate: e.candidate,
      deposit: e.deposit,
      minDeposit,
    });
  }
  return previous;
}

/**
 * A first registration, or a re-registration after the previous deposit was credited back
 * (possibly by a new operator). It starts from zero votes: approvals of earlier registrations
 * are dead. The signing key standing (the candidate address unless rotated before) stays.
 */
export function applyCandidateRegistered(state: RegistryState, e: EventOf<"CandidateRegistered">): Undo {
  const previous = requireRegistrable(state, e);
  const keyUndo = previous === undefined ? bindKey(state, e.candidate, e.candidate) : null;
  const recordUndo = replaceRecord(state, e.candidate, {
    status: CandidateStatus.Active,
    operator: e.operator,
    deposit: e.deposit,
    qualificationHash: e.qualificationHash,
    credentialExpiry: e.credentialExpiry,
    signingKey: previous?.signingKey ?? e.candidate,
    registration: e.registration,
    removalReason: null,
    refundableAt: 0n,
    refunded: false,
    slashed: false,
  });
  return both(keyUndo, recordUndo);
}

export function applyCredentialsRenewed(state: RegistryState, e: EventOf<"CredentialsRenewed">): Undo {
  const record = requireActive(state, e.candidate);
  requireEventField(e, "qualificationHash");
  return replaceRecord(state, e.candidate, {
    ...record,
    qualificationHash: e.qualificationHash,
    credentialExpiry: e.credentialExpiry,
  });
}

/** The operator moved the candidate's L2 signing key; elections from this L1 block on use the new one. */
export function applySigningKeyRotated(state: RegistryState, e: EventOf<"SigningKeyRotated">): Undo {
  const record = requireActive(state, e.candidate);
  if (record.signingKey !== e.oldKey) {
    throw new RegistryError({
      code: RegistryErrorCode.SIGNING_KEY_MISMATCH,
      candidate: e.candidate,
      expected: record.signingKey,
      oldKey: e.oldKey,
    });
  }
  requireEventField(e, "newKey");
  const keyUndo = bindKey(state, e.newKey, e.candidate);
  return both(keyUndo, replaceRecord(state, e.candidate, { ...record, signingKey: e.newKey }));
}

/** Every approval of the candidate dies with its registration: its live votes drop to zero. */
export function applyCandidateRemoved(state: RegistryState, e: EventOf<"CandidateRemoved">): Undo {
  const record = requireActive(state, e.candidate);
  const votes = state.book.takeTally(e.candidate);
  const recordUndo = replaceRecord(state, e.candidate, {
    ...record,
    status: CandidateStatus.Removed,
    removalReason: e.reason,
    refundableAt: e.refundableAt,
  });
  return () => {
    recordUndo?.();
    if (votes !== null) state.book.restoreTally(e.candidate, votes);
  };
}

/**
 * Equivocation evidence took `amount` of the deposit, while active or unbonding. The candidate is
 * never electable again under this registration, and never registers again.
 */
export function applyCandidateSlashed(state: RegistryState, e: EventOf<"CandidateSlashed">): Undo {
  const record = state.candidates.get(e.candidate);
  if (record === undefined || record.status === CandidateStatus.Refunded || record.slashed) {
    throw new RegistryError({
      code: RegistryErrorCode.CANDIDATE_NOT_SLASHABLE,
      candidate: e.candidate,
      status: record === undefined ? "unregistered" : record.slashed ? "slashed" : record.status,
    });
  }
  if (e.amount > record.deposit) {
    throw new RegistryError({
      code: RegistryErrorCode.SLASH_EXCEEDS_DEPOSIT,
      candidate: e.candidate,
      deposit: record.deposit,
      amount: e.amount,
    });
  }
  return replaceRecord(state, e.candidate, { ...record, deposit: record.deposit - e.amount, slashed: true });
}

/** The deposit left (all of it, or what a slashing left) is credited to the operator that paid it, once. */
export function applyRefundCredited(state: RegistryState, e: EventOf<"RefundCredited">): Undo {
  const record = state.candidates.get(e.candidate);
  if (record === undefined || record.status !== CandidateStatus.Removed) {
    throw new RegistryError({
      code: RegistryErrorCode.CANDIDATE_NOT_REMOVED,
      candidate: e.candidate,
      status: record?.status ?? "unregistered",
    });
  }
  if (record.operator !== e.operator || record.deposit !== e.amount) {
    throw new RegistryError({
      code: RegistryErrorCode.REFUND_MISMATCH,
      candidate: e.candidate,
      expectedOperator: record.operator,
      operator: e.operator,
      expectedAmount: record.deposit,
      amount: e.amount,
    });
  }
  return replaceRecord(state, e.candidate, { ...record, status: CandidateStatus.Refunded, refunded: true });
}
