import { CodedError } from "../codedError";

/**
 * The auditor service's typed errors (one enum of codes, one class), as Lodestar does it. Each code
 * maps to one HTTP status, so the API turns any refusal into a 4xx with a clear message and the
 * offending values, and nothing is stored (a 503 when a source the review needs is down).
 */
export enum AuditorErrorCode {
  /** The body does not parse or does not match the schema. */
  MALFORMED = "MALFORMED",
  /** The application's signature was not made by the candidate's key. */
  BAD_SIGNATURE = "BAD_SIGNATURE",
  /** The application targets another chain or registry than this auditor's. */
  WRONG_DOMAIN = "WRONG_DOMAIN",
  /** The application's nonce is not the candidate's current registrationNonce. */
  STALE_NONCE = "STALE_NONCE",
  /** The candidate is already registered (active) on CandidateRegistry. */
  ALREADY_REGISTERED = "ALREADY_REGISTERED",
  /** This exact application was already submitted. */
  REPLAYED = "REPLAYED",
  /** No application with that id. */
  NOT_FOUND = "NOT_FOUND",
  /** The decision is not signed by one of this auditor's operators. */
  NOT_OPERATOR = "NOT_OPERATOR",
  /** The decision's timestamp is too far from the auditor's clock. */
  DECISION_EXPIRED = "DECISION_EXPIRED",
  /** The application was already decided; a decision is final. */
  ALREADY_DECIDED = "ALREADY_DECIDED",
  /** L1 overtook the pending application (the candidate registered through other auditors): nothing to decide. */
  SUPERSEDED = "SUPERSEDED",
  /** The manual review queue is full; the applicant may retry once operators have caught up. */
  QUEUE_FULL = "QUEUE_FULL",
  /** A source the review needs (credit source, L1) failed; the applicant may retry. */
  SOURCE_UNAVAILABLE = "SOURCE_UNAVAILABLE",
}

const HTTP_STATUS: Record<AuditorErrorCode, number> = {
  [AuditorErrorCode.MALFORMED]: 400,
  [AuditorErrorCode.BAD_SIGNATURE]: 401,
  [AuditorErrorCode.WRONG_DOMAIN]: 400,
  [AuditorErrorCode.STALE_NONCE]: 409,
  [AuditorErrorCode.ALREADY_REGISTERED]: 409,
  [AuditorErrorCode.REPLAYED]: 409,
  [AuditorErrorCode.NOT_FOUND]: 404,
  [AuditorErrorCode.NOT_OPERATOR]: 403,
  [AuditorErrorCode.DECISION_EXPIRED]: 401,
  [AuditorErrorCode.ALREADY_DECIDED]: 409,
  [AuditorErrorCode.SUPERSEDED]: 409,
  [AuditorErrorCode.QUEUE_FULL]: 503,
  [AuditorErrorCode.SOURCE_UNAVAILABLE]: 503,
};

/** Extra values that explain a refusal (the offending input, the expected value). */
export type AuditorErrorDetails = Record<string, string | number | boolean | null>;

/** An auditor refusal: a code (one HTTP status each), a message for people and the offending values. */
export class AuditorError extends CodedError<{ readonly code: AuditorErrorCode } & AuditorErrorDetails> {
  constructor(
    code: AuditorErrorCode,
    message: string,
    readonly details: AuditorErrorDetails = {},
  ) {
    super({ ...details, code }, message);
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }

  /** The JSON body the API answers with. */
  toJSON(): { error: AuditorErrorCode; message: string; details: AuditorErrorDetails } {
    return { error: this.code, message: this.message, details: this.details };
  }
}
