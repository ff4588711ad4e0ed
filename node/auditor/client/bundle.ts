import type { TypedDataDomain } from "ethers";
import type { Address, Hex } from "../../types/primitives";
import { qualificationHash, type CandidateApplication } from "../application";
import { AuditorHttpError, type AuditorClient } from "./client";
import { recoverCredentialSigner } from "../credential";
import { AuditorErrorCode } from "../errors";
import type { RecordResponse } from "../apiJson";

/**
 * Gathers the auditors' credentials for one application into the `Application` that
 * CandidateRegistry.registerCandidate takes, and reports what each auditor answered. Auditors are
 * asked in parallel, each with the client's timeout, so one that is down delays the bundle by at
 * most that and blocks nobody.
 */
export type AuditorAnswer = "approved" | "rejected" | "superseded" | "pending" | "unknown" | "no-answer" | "invalid";

export interface AuditorReport {
  readonly url: string;
  /** The auditor's address, when it answered. */
  readonly auditor?: Address;
  readonly answer: AuditorAnswer;
  readonly reason?: string;
}

/** ICandidateRegistry.AuditorSignature. */
export interface AuditorSignature {
  readonly approve: boolean;
  readonly issuedAt: bigint;
  readonly expiresAt: bigint;
  readonly signature: Hex;
}

export interface CredentialBundle {
  readonly id: Hex;
  /** ICandidateRegistry.Application: pass it to registerCandidate as is. */
  readonly application: {
    readonly candidate: Address;
    readonly qualificationHash: Hex;
    readonly signatures: AuditorSignature[];
  };
  readonly auditors: AuditorReport[];
}

export async function gatherBundle(
  id: Hex,
  app: CandidateApplication,
  auditors: readonly AuditorClient[],
  credentialDomain: TypedDataDomain,
): Promise<CredentialBundle> {
  const reports = await Promise.all(auditors.map((client) => askAuditor(client, id, app, credentialDomain)));
  const signatures: AuditorSignature[] = [];
  const counted = new Set<Address>();
  const auditorReports = reports.map(({ report, signature }) => {
    // Two URLs of the same auditor must not count twice: the contract would revert on the duplicate.
    if (signature && report.auditor && !counted.has(report.auditor)) {
      counted.add(report.auditor);
      signatures.push(signature);
    }
    return report;
  });
  return {
    id,
    application: { candidate: app.candidate, qualificationHash: qualificationHash(app.qualification), signatures },
    auditors: auditorReports,
  };
}

async function askAuditor(
  client: AuditorClient,
  id: Hex,
  app: CandidateApplication,
  credentialDomain: TypedDataDomain,
): Promise<{ report: AuditorReport; signature?: AuditorSignature }> {
  const url = client.baseUrl;
  let record: RecordResponse;
  try {
    record = await client.status(id);
  } catch (err) {
    if (err instanceof AuditorHttpError && err.code === AuditorErrorCode.NOT_FOUND) {
      return { report: { url, answer: "unknown", reason: "the auditor has no such application" } };
    }
    return { report: { url, answer: "no-answer", reason: (err as Error).message } };
  }
  const base = { url, auditor: record.auditor, reason: record.decision?.reason };
  if (record.status !== "approved") return { report: { ...base, answer: record.status } };
  const problem = checkCredential(record, app, credentialDomain);
  if (problem) return { report: { ...base, answer: "invalid", reason: problem } };
  const c = record.credential!;
  return {
    report: { ...base, answer: "approved" },
    signature: { approve: c.approve, issuedAt: c.issuedAt, expiresAt: c.expiresAt, signature: c.signature },
  };
}

/** An auditor's answer is only trusted once its credential is checked against the application. */
function checkCredential(
  record: RecordResponse,
  app: CandidateApplication,
  credentialDomain: TypedDataDomain,
): string | undefined {
  const c = record.credential;
  if (!c) return "approved without a credential";
  if (
    c.candidate !== app.candidate ||
    c.nonce !== app.nonce ||
    c.qualificationHash !== qualificationHash(app.qualification)
  ) {
    return "the credential is for another application";
  }
  if (!c.approve) return "the credential does not approve";
  let signer: Address;
  try {
    signer = recoverCredentialSigner(credentialDomain, c, c.signature);
  } catch {
    return "the credential's signature cannot be recovered";
  }
  if (signer !== record.auditor || c.auditor !== record.auditor) {
    return `the credential is signed by ${signer}, not by the auditor ${record.auditor}`;
  }
  return undefined;
}

export function bundleToJson(bundle: CredentialBundle): unknown {
  return {
    id: bundle.id,
    application: {
      ...bundle.application,
      signatures: bundle.application.signatures.map((s) => ({
        ...s,
        issuedAt: s.issuedAt.toString(),
        expiresAt: s.expiresAt.toString(),
      })),
    },
    auditors: bundle.auditors,
  };
}
