import { CodedError, describeCoded } from "../codedError";
import type { Address } from "../types/primitives";
import type { RegistryEventKind } from "./events";

/**
 * Why the reducer or the codec refused an input. An event the reducer refuses contradicts the
 * registry state it has seen: the contracts never emit such an event, so it can only come from a
 * wrong event stream (a skipped, duplicated or reordered log). The caller must stop, not skip it.
 */
export enum RegistryErrorCode {
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

export type RegistryErrorType =
  | { code: RegistryErrorCode.AUDITOR_ALREADY_ADDED; auditor: Address }
  | { code: RegistryErrorCode.AUDITOR_NOT_FOUND; auditor: Address }
  | { code: RegistryErrorCode.CANDIDATE_ALREADY_REGISTERED; candidate: Address }
  | { code: RegistryErrorCode.DEPOSIT_NOT_REFUNDED; candidate: Address }
  | { code: RegistryErrorCode.DEPOSIT_BELOW_MINIMUM; candidate: Address; deposit: bigint; minDeposit: bigint }
  | { code: RegistryErrorCode.CANDIDATE_NOT_ACTIVE; candidate: Address; status: string }
  | { code: RegistryErrorCode.CANDIDATE_NOT_REMOVED; candidate: Address; status: string }
  | {
      code: RegistryErrorCode.REFUND_MISMATCH;
      candidate: Address;
      expectedOperator: Address;
      operator: Address;
      expectedAmount: bigint;
      amount: bigint;
    }
  | { code: RegistryErrorCode.VOTE_ALREADY_CAST; voter: Address; candidate: Address }
  | { code: RegistryErrorCode.VOTE_NOT_FOUND; voter: Address; candidate: Address }
  | { code: RegistryErrorCode.REGISTRATION_MISMATCH; candidate: Address; expected: number; registration: number }
  | { code: RegistryErrorCode.POWER_MISMATCH; account: Address; expected: bigint; previousVotes: bigint }
  | { code: RegistryErrorCode.CANDIDATE_SLASHED; candidate: Address }
  | { code: RegistryErrorCode.CANDIDATE_NOT_SLASHABLE; candidate: Address; status: string }
  | { code: RegistryErrorCode.SLASH_EXCEEDS_DEPOSIT; candidate: Address; deposit: bigint; amount: bigint }
  | { code: RegistryErrorCode.KEY_TAKEN; key: Address; owner: Address }
  | { code: RegistryErrorCode.SIGNING_KEY_MISMATCH; candidate: Address; expected: Address; oldKey: Address }
  | { code: RegistryErrorCode.UNKNOWN_EVENT_KIND; kind: string }
  | {
      code: RegistryErrorCode.BATCH_EVENT_REJECTED;
      index: number;
      kind: RegistryEventKind;
      blockNumber?: number;
      logIndex?: number;
    }
  | { code: RegistryErrorCode.MALFORMED_ENCODING; reason: string; length: number }
  | { code: RegistryErrorCode.UNSUPPORTED_ENCODING_VERSION; version: number }
  | { code: RegistryErrorCode.INVALID_FIELD; field: string; reason: string };

/** The one error class of the governance reducer and codec; a batch rejection names its cause's message too. */
export class RegistryError extends CodedError<RegistryErrorType> {
  constructor(type: RegistryErrorType, options?: { cause?: unknown }) {
    const cause = options?.cause;
    super(type, cause instanceof Error ? `${describeCoded(type)}: ${cause.message}` : describeCoded(type), options);
  }
}
