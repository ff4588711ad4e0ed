import { z } from "zod";
import type { Address, Hex } from "../types/primitives";
import { SPEC_LIMITS } from "../qualification/challenge";
import type { ChallengeTranscript } from "../qualification/transcript";
import type { CandidateApplication, SignedApplication } from "./application";
import { AuditorError, AuditorErrorCode } from "./errors";
import type { ApplicationRecord, IssuedCredential, MeasuredFigures } from "./applicationRecord";
import { describeIssues, dottedPath, formatProblem } from "../config/zodIssue";

/**
 * The JSON wire format of the auditor API, and its validation. Integers travel as decimal strings
 * (JSON numbers lose precision past 2^53), addresses and hashes as 0x-hex. Parsing yields the
 * typed values of application.ts, with addresses lowercased.
 */
const UINT64_MAX = (1n << 64n) - 1n;
const UINT256_MAX = (1n << 256n) - 1n;

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "expected a 0x-prefixed 20-byte hex address")
  .transform((s) => s.toLowerCase() as Address);
const bytes32 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, "expected a 0x-prefixed 32-byte hex string")
  .transform((s) => s.toLowerCase() as Hex);
const signature = z
  .string()
  .regex(/^0x[0-9a-fA-F]{130}$/, "expected a 0x-prefixed 65-byte signature")
  .transform((s) => s.toLowerCase() as Hex);

function uint(max: bigint, bits: number) {
  return z
    .string()
    .regex(/^(0|[1-9][0-9]{0,77})$/, "expected a decimal integer string")
    .transform((s) => BigInt(s))
    .refine((v) => v <= max, `does not fit in uint${bits}`);
}
const uint64 = uint(UINT64_MAX, 64);
const uint256 = uint(UINT256_MAX, 256);

const hexBytes = (maxBytes: number) =>
  z
    .string()
    .regex(/^0x([0-9a-fA-F]{2})*$/, "expected 0x-prefixed hex bytes")
    .refine((s) => s.length <= 2 + 2 * maxBytes, `longer than ${maxBytes} bytes`)
    .transform((s) => s.toLowerCase() as Hex);

/** Most auditors an application can cite a measurement of (far above any threshold). */
export const MAX_MEASUREMENTS = 64;

const measurementSchema = z.strictObject({ auditor: address, challenge: bytes32, transcriptHash: bytes32 });

export const applicationSchema = z.strictObject({
  candidate: address,
  operator: address,
  qualification: z.strictObject({
    deposit: uint256,
    depositTx: bytes32,
    creditValue: uint256,
    // One per auditor, ascending by auditor: one canonical form, so one application has one id.
    measurements: z
      .array(measurementSchema)
      .max(MAX_MEASUREMENTS)
      .refine(
        (list) => list.every((m, i) => i === 0 || list[i - 1].auditor < m.auditor),
        "expected one measurement per auditor, ascending by auditor address",
      ),
  }),
  nonce: uint256,
  renew: z.boolean(),
});

export const submitBodySchema = z.strictObject({
  application: applicationSchema,
  signature,
  /** CandidateConsent(candidate, operator, nonce) in CandidateRegistry's domain, by the candidate key. */
  consentSignature: signature,
  /** Set by an auditor forwarding to its peers, so that the peer does not forward again. */
  forwarded: z.boolean().optional(),
});

export const decisionBodySchema = z.strictObject({
  approve: z.boolean(),
  reason: z.string().max(500),
  issuedAt: uint64,
  operatorSignature: signature,
});

/** POST /v1/challenges: who the challenge is for (its PoW hashes include the address). */
export const challengeRequestSchema = z.strictObject({ candidate: address });

/** POST /v1/challenges/:id/pow: the solving nonces, ascending. */
export const powAnswerSchema = z.strictObject({
  nonces: z.array(uint64).max(SPEC_LIMITS.powSolutions),
});

/** POST /v1/challenges/:id/signatures: bit i set when signature i is valid. */
export const signatureAnswerSchema = z.strictObject({
  validBitmap: hexBytes(Math.ceil(SPEC_LIMITS.signatureCount / 8)),
});

export type SubmitBody = z.output<typeof submitBodySchema>;
export type DecisionBody = z.output<typeof decisionBodySchema>;

/** Parses a request body, or throws a MALFORMED error naming the first offending field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (!result.success) {
    const [first] = describeIssues(result.error, body, dottedPath());
    throw new AuditorError(AuditorErrorCode.MALFORMED, `invalid ${formatProblem(first)}`, { field: first.field });
  }
  return result.data;
}

export type ApplicationJson = z.input<typeof applicationSchema>;

export function applicationToJson(app: CandidateApplication): ApplicationJson {
  const q = app.qualification;
  return {
    candidate: app.candidate,
    operator: app.operator,
    qualification: {
      deposit: q.deposit.toString(),
      depositTx: q.depositTx,
      creditValue: q.creditValue.toString(),
      measurements: q.measurements.map((m) => ({ ...m })),
    },
    nonce: app.nonce.toString(),
    renew: app.renew,
  };
}

export function applicationFromJson(json: unknown): CandidateApplication {
  return parseBody(applicationSchema, json);
}

export function submitBodyToJson(signed: SignedApplication, forwarded = false): z.input<typeof submitBodySchema> {
  return {
    application: applicationToJson(signed.application),
    signature: signed.signature,
    consentSignature: signed.consentSignature,
    forwarded,
  };
}

// Responses. The service writes them with recordToJson; clients (peers, `apply`, the CLI) read them
// back through recordResponseSchema, so both sides share one definition.
const decisionJsonSchema = z.object({
  approve: z.boolean(),
  reason: z.string(),
  by: z.union([z.literal("rules"), z.literal("l1"), address]),
  decidedAt: uint64,
});
const credentialJsonSchema = z.object({
  auditor: address,
  candidate: address,
  operator: address,
  qualificationHash: bytes32,
  approve: z.boolean(),
  issuedAt: uint64,
  expiresAt: uint64,
  nonce: uint256,
  /** Present when the signature is a `Renewal` (renewCredentials), absent for a `Credential`. */
  renewal: uint256.optional(),
  signature,
});
export type CredentialJson = z.input<typeof credentialJsonSchema>;

/** The credential's JSON, for the API and the store alike (one encoding). */
export function credentialToJson(c: IssuedCredential): CredentialJson {
  const { renewal, ...rest } = c;
  return {
    ...rest,
    issuedAt: c.issuedAt.toString(),
    expiresAt: c.expiresAt.toString(),
    nonce: c.nonce.toString(),
    ...(renewal !== undefined && { renewal: renewal.toString() }),
  };
}

export function credentialFromJson(json: CredentialJson): IssuedCredential {
  const { renewal, ...rest } = credentialJsonSchema.parse(json);
  return renewal === undefined ? rest : { ...rest, renewal };
}

const measuredJsonSchema = z.object({
  challenge: bytes32,
  transcriptHash: bytes32,
  powHashesPerSecond: uint64,
  sigVerificationsPerSecond: uint64,
  measuredAt: uint64,
});
export type MeasuredFiguresJson = z.input<typeof measuredJsonSchema>;

export function measuredToJson(m: MeasuredFigures): MeasuredFiguresJson {
  return {
    ...m,
    powHashesPerSecond: m.powHashesPerSecond.toString(),
    sigVerificationsPerSecond: m.sigVerificationsPerSecond.toString(),
    measuredAt: m.measuredAt.toString(),
  };
}

export const recordResponseSchema = z.object({
  id: bytes32,
  auditor: address,
  status: z.enum(["pending", "approved", "rejected", "superseded"]),
  application: applicationSchema,
  consentSignature: signature,
  /** The figures the auditor measured itself and reviewed the application on. */
  measured: measuredJsonSchema,
  advice: z.string().optional(),
  decision: decisionJsonSchema.optional(),
  credential: credentialJsonSchema.optional(),
});
export type RecordResponse = z.output<typeof recordResponseSchema>;

const int = (max: number) => z.number().int().nonnegative().max(max);
const msSchema = uint64;

export const challengeResponseSchema = z.object({
  challenge: bytes32,
  auditor: address,
  candidate: address,
  powDifficultyBits: int(SPEC_LIMITS.powDifficultyBits),
  powSolutions: int(SPEC_LIMITS.powSolutions),
  signatureCount: int(SPEC_LIMITS.signatureCount),
  issuedAtMs: msSchema,
  deadlineMs: msSchema,
});
export type ChallengeResponse = z.output<typeof challengeResponseSchema>;

export const signatureBatchResponseSchema = z.object({
  challenge: bytes32,
  publicKey: hexBytes(65),
  signatures: z.array(hexBytes(64)).max(SPEC_LIMITS.signatureCount),
  deadlineMs: msSchema,
});
export type SignatureBatchResponse = z.output<typeof signatureBatchResponseSchema>;

export const transcriptSchema = z.object({
  auditor: address,
  challenge: bytes32,
  candidate: address,
  powDifficultyBits: int(SPEC_LIMITS.powDifficultyBits),
  powSolutions: int(SPEC_LIMITS.powSolutions),
  signatureCount: int(SPEC_LIMITS.signatureCount),
  issuedAtMs: msSchema,
  powAnsweredAtMs: msSchema,
  powAnswerHash: bytes32,
  signaturesIssuedAtMs: msSchema,
  signaturesAnsweredAtMs: msSchema,
  signatureBatchHash: bytes32,
  validBitmap: hexBytes(Math.ceil(SPEC_LIMITS.signatureCount / 8)),
  powHashesPerSecond: uint64,
  sigVerificationsPerSecond: uint64,
});

/** The finished challenge as the auditor answers it (and stores it): the transcript and its hash. */
export const measurementResponseSchema = z.object({ transcript: transcriptSchema, transcriptHash: bytes32 });
export type MeasurementResponse = z.output<typeof measurementResponseSchema>;

export function transcriptToJson(t: ChallengeTranscript): z.input<typeof transcriptSchema> {
  return {
    ...t,
    issuedAtMs: t.issuedAtMs.toString(),
    powAnsweredAtMs: t.powAnsweredAtMs.toString(),
    signaturesIssuedAtMs: t.signaturesIssuedAtMs.toString(),
    signaturesAnsweredAtMs: t.signaturesAnsweredAtMs.toString(),
    powHashesPerSecond: t.powHashesPerSecond.toString(),
    sigVerificationsPerSecond: t.sigVerificationsPerSecond.toString(),
  };
}

export const infoResponseSchema = z.object({
  auditor: address,
  chainId: uint256,
  candidateRegistry: address,
  mode: z.enum(["automatic", "manual"]),
  peers: z.array(z.string()),
});
export type InfoResponse = z.output<typeof infoResponseSchema>;

export function recordToJson(record: ApplicationRecord, auditor: Address): z.input<typeof recordResponseSchema> {
  const { decision, credential } = record;
  return {
    id: record.id,
    auditor,
    status: record.status,
    application: applicationToJson(record.application),
    consentSignature: record.consentSignature,
    measured: measuredToJson(record.measured),
    advice: record.advice,
    decision: decision && { ...decision, decidedAt: decision.decidedAt.toString() },
    credential: credential && credentialToJson(credential),
  };
}
