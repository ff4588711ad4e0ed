import { z } from "zod";
import type { Address, Hex } from "../types/primitives";
import type { CandidateApplication, SignedApplication } from "./application";
import { AuditorError, AuditorErrorCode } from "./errors";
import type { ApplicationRecord } from "./applicationRecord";
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

export const applicationSchema = z.strictObject({
  candidate: address,
  operator: address,
  qualification: z.strictObject({
    powHashesPerSecond: uint64,
    sigVerificationsPerSecond: uint64,
    measuredAt: uint64,
    deposit: uint256,
    depositTx: bytes32,
    creditValue: uint256,
  }),
  nonce: uint256,
});

export const submitBodySchema = z.strictObject({
  application: applicationSchema,
  signature,
  /** Set by an auditor forwarding to its peers, so that the peer does not forward again. */
  forwarded: z.boolean().optional(),
});

export const decisionBodySchema = z.strictObject({
  approve: z.boolean(),
  reason: z.string().max(500),
  issuedAt: uint64,
  operatorSignature: signature,
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
      powHashesPerSecond: q.powHashesPerSecond.toString(),
      sigVerificationsPerSecond: q.sigVerificationsPerSecond.toString(),
      measuredAt: q.measuredAt.toString(),
      deposit: q.deposit.toString(),
      depositTx: q.depositTx,
      creditValue: q.creditValue.toString(),
    },
    nonce: app.nonce.toString(),
  };
}

export function applicationFromJson(json: unknown): CandidateApplication {
  return parseBody(applicationSchema, json);
}

export function submitBodyToJson(signed: SignedApplication, forwarded = false): z.input<typeof submitBodySchema> {
  return { application: applicationToJson(signed.application), signature: signed.signature, forwarded };
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
  qualificationHash: bytes32,
  approve: z.boolean(),
  issuedAt: uint64,
  expiresAt: uint64,
  nonce: uint256,
  signature,
});

export const recordResponseSchema = z.object({
  id: bytes32,
  auditor: address,
  status: z.enum(["pending", "approved", "rejected", "superseded"]),
  application: applicationSchema,
  advice: z.string().optional(),
  decision: decisionJsonSchema.optional(),
  credential: credentialJsonSchema.optional(),
});
export type RecordResponse = z.output<typeof recordResponseSchema>;

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
    advice: record.advice,
    decision: decision && { ...decision, decidedAt: decision.decidedAt.toString() },
    credential: credential && {
      ...credential,
      issuedAt: credential.issuedAt.toString(),
      expiresAt: credential.expiresAt.toString(),
      nonce: credential.nonce.toString(),
    },
  };
}
