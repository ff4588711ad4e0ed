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
  readonly qualificationHash: Hex;
  readonly approve: boolean;
  readonly issuedAt: bigint;
  readonly expiresAt: bigint;
  readonly nonce: bigint;
  readonly signature: Hex;
}

export interface ApplicationRecord {
  readonly id: Hex;
  readonly application: CandidateApplication;
  readonly signature: Hex;
  readonly receivedAt: bigint;
  readonly status: ApplicationStatus;
  /** The automatic review's verdict when the service runs in manual mode: advice for the operator. */
  readonly advice?: string;
  readonly decision?: Decision;
  readonly credential?: IssuedCredential;
}
