import { z } from "zod";
import { MAX_CERTIFICATE_SIGNATURES } from "../chain/certificate";
import { ChainError, ChainErrorCode } from "../chain/errors";
import { MAX_REPRESENTATIVES } from "../chain/genesis";
import { parseChainJson, stringifyChainJson } from "../chain/json";
import { MAX_PAYLOAD_BYTES } from "../chain/transaction";
import { decodeGovernanceEvent, encodeGovernanceEvent } from "../governance";
import { isDeepStrictEqual } from "node:util";
import type { GovernanceEvent } from "../types/governance";
import type { ConsensusMessage } from "./messages";

/**
 * The wire form of consensus messages: JSON with bigints as {"$bigint": "…"} (json.ts), checked
 * against a strict schema — every hash, address and signature of the right length in lowercase
 * hex, integers in range, lists bounded, no unknown field — and a byte limit, before anything
 * reaches the core. A message that fails is the sender's fault (REJECT).
 */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
export const MAX_EVENTS_PER_BLOCK = 10_000;
export const MAX_TRANSACTIONS_PER_BLOCK = 10_000;

const hex = (bytes: number) =>
  z
    .string()
    .regex(
      new RegExp(`^0x[0-9a-f]{${bytes * 2}}$`),
      `${bytes}-byte lowercase hex`,
    ) as unknown as z.ZodType<`0x${string}`>;
const hash = hex(32);
const address = hex(20);
const signature = hex(65);
const height = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const round = z
  .number()
  .int()
  .nonnegative()
  .max(2 ** 32 - 2);
const uint64 = z
  .bigint()
  .nonnegative()
  .max((1n << 64n) - 1n);

const header = z.strictObject({
  chainId: uint64,
  height,
  epoch: height,
  round,
  parentHash: hash,
  timestamp: height,
  proposer: address,
  l1AnchorNumber: height,
  l1AnchorHash: hash,
  eventsRoot: hash,
  txRoot: hash,
  electionResultHash: hash,
  powTarget: z
    .bigint()
    .positive()
    .max((1n << 256n) - 1n),
  nonce: uint64,
});

/** An event is well-formed iff the canonical codec round-trips it exactly (no extra or bad field). */
const governanceEvent = z.custom<GovernanceEvent>((value) => {
  try {
    return isDeepStrictEqual(decodeGovernanceEvent(encodeGovernanceEvent(value as GovernanceEvent)), value);
  } catch {
    return false;
  }
}, "not a canonical governance event");

const transaction = z.strictObject({
  from: address,
  nonce: uint64,
  payload: z
    .string()
    .regex(/^0x(?:[0-9a-f]{2})*$/)
    .max(2 + 2 * MAX_PAYLOAD_BYTES) as unknown as z.ZodType<`0x${string}`>,
  signature,
});

const block = z.strictObject({
  header,
  body: z.strictObject({
    events: z.array(governanceEvent).max(MAX_EVENTS_PER_BLOCK),
    transactions: z.array(transaction).max(MAX_TRANSACTIONS_PER_BLOCK),
    electionResult: z
      .array(z.strictObject({ address, votes: z.bigint().nonnegative() }))
      .max(MAX_REPRESENTATIVES)
      .nullable(),
  }),
  proposerSignature: signature,
});

const certificate = z.strictObject({
  height,
  round,
  blockHash: hash,
  signatures: z.array(signature).max(MAX_CERTIFICATE_SIGNATURES),
});

export const consensusMessageSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("proposal"),
    height,
    round,
    validRound: z
      .number()
      .int()
      .min(-1)
      .max(2 ** 32 - 2),
    block,
    signature,
  }),
  z.strictObject({
    type: z.literal("vote"),
    kind: z.enum(["prevote", "precommit"]),
    height,
    round,
    blockHash: hash.nullable(),
    validator: address,
    signature,
  }),
  z.strictObject({ type: z.literal("commit"), finalized: z.strictObject({ block, certificate }) }),
  z.strictObject({ type: z.literal("status"), height }),
  z.strictObject({ type: z.literal("transaction"), tx: transaction }),
]);

export function encodeMessage(message: ConsensusMessage): string {
  return stringifyChainJson(message);
}

/** Parses and checks one message; throws ChainError MALFORMED naming the first problem. */
export function decodeMessage(text: string, maxBytes = MAX_MESSAGE_BYTES): ConsensusMessage {
  const size = Buffer.byteLength(text, "utf8");
  if (size > maxBytes)
    throw new ChainError({ code: ChainErrorCode.MALFORMED, reason: `message of ${size} bytes > ${maxBytes}` });
  let json: unknown;
  try {
    json = parseChainJson(text);
  } catch (err) {
    throw new ChainError({ code: ChainErrorCode.MALFORMED, reason: `not JSON: ${(err as Error).message}` });
  }
  const parsed = consensusMessageSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ChainError({ code: ChainErrorCode.MALFORMED, reason: `${issue.path.join(".")}: ${issue.message}` });
  }
  return parsed.data as ConsensusMessage;
}
