import { CodedError, describeCoded } from "../codedError";
import type { Address } from "../types/primitives";
import type { GovernanceEventKind } from "./events";

/**
 * Why the reducer or the codec refused an input. An event the reducer refuses contradicts the
 * registry state it has seen: the contracts never emit such an event, so it can only come from a
 * wrong event stream (a skipped, duplicated or reordered log). The caller must stop, not skip it.
 */
export enum GovernanceErrorCode {
  AUDITOR_ALREADY_ADDED = "GOVERNANCE_AUDITOR_ALREADY_ADDED",
  AUDITOR_NOT_FOUND = "GOVERNANCE_AUDITOR_NOT_FOUND",
  CANDIDATE_ALREADY_REGISTERED = "GOVERNANCE_CANDIDATE_ALREADY_REGISTERED",
  DEPOSIT_NOT_REFUNDED = "GOVERNANCE_DEPOSIT_NOT_REFUNDED",
  DEPOSIT_BELOW_MINIMUM = "GOVERNANCE_DEPOSIT_BELOW_MINIMUM",
  CANDIDATE_NOT_ACTIVE = "GOVERNANCE_CANDIDATE_NOT_ACTIVE",
  CANDIDATE_NOT_REMOVED = "GOVERNANCE_CANDIDATE_NOT_REMOVED",
  REFUND_MISMATCH = "GOVERNANCE_REFUND_MISMATCH",
  VOTE_ALREADY_CAST = "GOVERNANCE_VOTE_ALREADY_CAST",
  VOTE_NOT_FOUND = "GOVERNANCE_VOTE_NOT_FOUND",
  REGISTRATION_MISMATCH = "GOVERNANCE_REGISTRATION_MISMATCH",
  POWER_MISMATCH = "GOVERNANCE_POWER_MISMATCH",
  CANDIDATE_SLASHED = "GOVERNANCE_CANDIDATE_SLASHED",
  CANDIDATE_NOT_SLASHABLE = "GOVERNANCE_CANDIDATE_NOT_SLASHABLE",
  SLASH_EXCEEDS_DEPOSIT = "GOVERNANCE_SLASH_EXCEEDS_DEPOSIT",
  KEY_TAKEN = "GOVERNANCE_KEY_TAKEN",
  SIGNING_KEY_MISMATCH = "GOVERNANCE_SIGNING_KEY_MISMATCH",
  UNKNOWN_EVENT_KIND = "GOVERNANCE_UNKNOWN_EVENT_KIND",
  /** A batch failed: the payload names the event, `cause` holds the underlying error. */
  BATCH_EVENT_REJECTED = "GOVERNANCE_BATCH_EVENT_REJECTED",
  // codec
  MALFORMED_ENCODING = "GOVERNANCE_MALFORMED_ENCODING",
  UNSUPPORTED_ENCODING_VERSION = "GOVERNANCE_UNSUPPORTED_ENCODING_VERSION",
  INVALID_FIELD = "GOVERNANCE_INVALID_FIELD",
}

export type GovernanceErrorType =
  | { code: GovernanceErrorCode.AUDITOR_ALREADY_ADDED; auditor: Address }
  | { code: GovernanceErrorCode.AUDITOR_NOT_FOUND; auditor: Address }
  | { code: GovernanceErrorCode.CANDIDATE_ALREADY_REGISTERED; candidate: Address }
  | { code: GovernanceErrorCode.DEPOSIT_NOT_REFUNDED; candidate: Address }
  | { code: GovernanceErrorCode.DEPOSIT_BELOW_MINIMUM; candidate: Address; deposit: bigint; minDeposit: bigint }
  | { code: GovernanceErrorCode.CANDIDATE_NOT_ACTIVE; candidate: Address; status: string }
  | { code: GovernanceErrorCode.CANDIDATE_NOT_REMOVED; candidate: Address; status: string }
  | {
      code: GovernanceErrorCode.REFUND_MISMATCH;
      candidate: Address;
      expectedOperator: Address;
      operator: Address;
      expectedAmount: bigint;
      amount: bigint;
    }
  | { code: GovernanceErrorCode.VOTE_ALREADY_CAST; voter: Address; candidate: Address }
  | { code: GovernanceErrorCode.VOTE_NOT_FOUND; voter: Address; candidate: Address }
  | { code: GovernanceErrorCode.REGISTRATION_MISMATCH; candidate: Address; expected: number; registration: number }
  | { code: GovernanceErrorCode.POWER_MISMATCH; account: Address; expected: bigint; previousVotes: bigint }
  | { code: GovernanceErrorCode.CANDIDATE_SLASHED; candidate: Address }
  | { code: GovernanceErrorCode.CANDIDATE_NOT_SLASHABLE; candidate: Address; status: string }
  | { code: GovernanceErrorCode.SLASH_EXCEEDS_DEPOSIT; candidate: Address; deposit: bigint; amount: bigint }
  | { code: GovernanceErrorCode.KEY_TAKEN; key: Address; owner: Address }
  | { code: GovernanceErrorCode.SIGNING_KEY_MISMATCH; candidate: Address; expected: Address; oldKey: Address }
  | { code: GovernanceErrorCode.UNKNOWN_EVENT_KIND; kind: string }
  | {
      code: GovernanceErrorCode.BATCH_EVENT_REJECTED;
      index: number;
      kind: GovernanceEventKind;
      blockNumber?: number;
      logIndex?: number;
    }
  | { code: GovernanceErrorCode.MALFORMED_ENCODING; reason: string; length: number }
  | { code: GovernanceErrorCode.UNSUPPORTED_ENCODING_VERSION; version: number }
  | { code: GovernanceErrorCode.INVALID_FIELD; field: string; reason: string };

/** The one error class of the governance reducer and codec; a batch rejection names its cause's message too. */
export class GovernanceError extends CodedError<GovernanceErrorType> {
  constructor(type: GovernanceErrorType, options?: { cause?: unknown }) {
    const cause = options?.cause;
    super(type, cause instanceof Error ? `${describeCoded(type)}: ${cause.message}` : describeCoded(type), options);
  }
}
