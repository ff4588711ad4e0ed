import type { Address, Hex } from "../types/primitives";
import type { CandidateApplication } from "./application";

/**
 * An application as the auditor holds it and its API returns it: the application, its status, the
 * decision and the credential signed for it. The service stores it, the API and the client read it.
 */
export type ApplicationStatus = "pending" | "approved" | "rejected" | "superseded";

export interface Decision {
  readonly approve: boolean;
  readonly reason: string;
  /**
   * "rules" for the automatic review, the operator's address, or "l1" when L1 overtook a pending
   * application (the candidate registered through other auditors): status "superseded".
   */
  readonly by: "rules" | "l1" | Address;
  /** Unix seconds (L1 time) when it was decided. */
  readonly decidedAt: bigint;
}

/** The signed CandidateRegistry credential, in the AuditorSignature form registerCandidate takes. */
export interface IssuedCredential {
  readonly auditor: Address;
  readonly candidate: Address;
  /** The only account that may send the registration. */
  readonly operator: Address;
  readonly qualificationHash: Hex;
  readonly approve: boolean;
  readonly issuedAt: bigint;
  readonly expiresAt: bigint;
  readonly nonce: bigint;
  /** Set when this is a `Renewal` signature (then `nonce` is its `registration`): the renewalNonce it carries. */
  readonly renewal?: bigint;
  readonly signature: Hex;
}

/** The figures an application was reviewed on: the auditor's measurement, never the applicant's claim. */
export interface MeasuredFigures {
  readonly challenge: Hex;
  readonly transcriptHash: Hex;
  readonly powHashesPerSecond: bigint;
  readonly sigVerificationsPerSecond: bigint;
  /** Unix seconds when the measurement ended. */
  readonly measuredAt: bigint;
}

export interface ApplicationRecord {
  readonly id: Hex;
  readonly application: CandidateApplication;
  readonly signature: Hex;
  /** The candidate key's CandidateConsent, kept so that any auditor's bundle is a complete registration. */
  readonly consentSignature: Hex;
  readonly receivedAt: bigint;
  readonly status: ApplicationStatus;
  readonly measured: MeasuredFigures;
  /** The automatic review's verdict when the service runs in manual mode: advice for the operator. */
  readonly advice?: string;
  readonly decision?: Decision;
  readonly credential?: IssuedCredential;
}
