import { z } from "zod";
import { fromHex, toHex } from "../chain/bytes";
import { encodeTransaction } from "../chain/transaction";
import { MAX_BLOCK_BYTES_LIMIT, MAX_TRANSACTIONS_PER_BLOCK_LIMIT } from "../chain/budgets";
import { decodeCommitCertificate, encodeCommitCertificate, MAX_CERTIFICATE_SIGNATURES } from "../chain/certificate";
import { decodeEvidence, encodeEvidence, MAX_EVIDENCE_PER_BLOCK } from "../chain/evidence";
import { MAX_REPRESENTATIVES } from "../chain/genesis";
import { decodeHeader, encodeHeader } from "../chain/headerCodec";
import type { Block, FinalizedBlock } from "../chain/types";
import type { ConsensusMessage } from "./messages";
import { decodeRegistryEvent, encodeRegistryEvent } from "../registry";
import type { Address, Hex } from "../types/primitives";
import { decodeTransaction } from "../chain/transaction";
import { formatIssues } from "../config/zodIssue";

/**
 * The wire form of consensus messages and finalized blocks (topic "consensus" and sync responses;
 * the store keeps its own format, node/store/finalizedBlockCodec.ts): UTF-8 JSON whose binary parts
 * are the canonical encodings as 0x-hex — the header as its canonical bytes, each event as
 * node/registry's codec, each piece of evidence as chain/evidence.ts's, each transaction as
 * chain/transaction.ts's, the lastCommit as chain/certificate.ts's — so every hashed object
 * travels in exactly the bytes that are hashed, and decoding re-checks each encoding. Everything is schema-checked, with bounds on every list, before a
 * message reaches the consensus core.
 */

/**
 * The largest wire form of a proposal or commit of a block within `maxBlockBytes` (budgets.ts):
 * hex doubles every binary part, and the JSON around them (keys, quotes, the election result as
 * decimal text, a certificate of up to 1,024 signatures) stays under 256 KiB.
 */
export function maxConsensusMessageBytes(maxBlockBytes: number): number {
  return 2 * maxBlockBytes + 256 * 1024;
}

/** Largest consensus message of any valid genesis: a larger one is refused before parsing. */
export const MAX_CONSENSUS_MESSAGE_BYTES = maxConsensusMessageBytes(MAX_BLOCK_BYTES_LIMIT);
const MAX_EVENTS = 100_000;

const safeUint = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const hash = z.string().regex(/^0x[0-9a-f]{64}$/, "a lowercase 32-byte hash");
const address = z.string().regex(/^0x[0-9a-f]{40}$/, "a lowercase address");
const signature = z.string().regex(/^0x[0-9a-f]{130}$/, "a 65-byte signature");
const hexBytes = z.string().regex(/^0x(?:[0-9a-f]{2})*$/, "lowercase 0x-hex bytes");

/** Decodes a canonical binary part inside the schema, so a bad one is a schema issue like any other. */
function decoded<T>(decode: (bytes: Uint8Array) => T) {
  return hexBytes.transform((hex, ctx): T => {
    try {
      return decode(fromHex(hex));
    } catch (err) {
      ctx.addIssue({ code: "custom", message: (err as Error).message });
      return z.NEVER;
    }
  });
}

const blockSchema = z.strictObject({
  header: decoded(decodeHeader),
  events: z.array(decoded(decodeRegistryEvent)).max(MAX_EVENTS),
  evidence: z.array(decoded(decodeEvidence)).max(MAX_EVIDENCE_PER_BLOCK),
  transactions: z.array(decoded(decodeTransaction)).max(MAX_TRANSACTIONS_PER_BLOCK_LIMIT),
  electionResult: z
    .array(
      z.strictObject({
        address,
        signingKey: address,
        votes: z
          .string()
          .regex(/^[0-9]{1,78}$/)
          .transform(BigInt),
      }),
    )
    .max(MAX_REPRESENTATIVES)
    .nullable(),
  lastCommit: decoded(decodeCommitCertificate).nullable(),
  proposerSignature: z.union([signature, z.literal("0x")]),
});

const certificateSchema = z.strictObject({
  height: safeUint,
  round: safeUint,
  blockHash: hash,
  signatures: z.array(signature).max(MAX_CERTIFICATE_SIGNATURES),
});

const finalizedSchema = z.strictObject({ block: blockSchema, certificate: certificateSchema });

const messageSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("proposal"),
    height: safeUint,
    round: safeUint,
    validRound: z.number().int().min(-1).max(Number.MAX_SAFE_INTEGER),
    block: blockSchema,
    signature,
  }),
  z.strictObject({
    type: z.literal("vote"),
    kind: z.enum(["prevote", "precommit"]),
    height: safeUint,
    round: safeUint,
    blockHash: hash.nullable(),
    validator: address,
    signature,
  }),
  z.strictObject({ type: z.literal("commit"), finalized: finalizedSchema }),
]);

function blockToWire(block: Block): unknown {
  return {
    header: toHex(encodeHeader(block.header)),
    events: block.body.events.map((e) => toHex(encodeRegistryEvent(e))),
    evidence: block.body.evidence.map((e) => toHex(encodeEvidence(e))),
    transactions: block.body.transactions.map((tx) => toHex(encodeTransaction(tx))),
    electionResult:
      block.body.electionResult?.map((r) => ({
        address: r.address,
        signingKey: r.signingKey,
        votes: r.votes.toString(),
      })) ?? null,
    lastCommit: block.body.lastCommit === null ? null : toHex(encodeCommitCertificate(block.body.lastCommit)),
    proposerSignature: block.proposerSignature,
  };
}

function blockFromWire(wire: z.output<typeof blockSchema>): Block {
  return {
    header: wire.header,
    body: {
      events: wire.events,
      evidence: wire.evidence,
      transactions: wire.transactions,
      electionResult:
        wire.electionResult?.map((r) => ({
          address: r.address as Address,
          signingKey: r.signingKey as Address,
          votes: r.votes,
        })) ?? null,
      lastCommit: wire.lastCommit,
    },
    proposerSignature: wire.proposerSignature as Hex,
  };
}

function finalizedToWire(f: FinalizedBlock): unknown {
  return { block: blockToWire(f.block), certificate: f.certificate };
}

function finalizedFromWire(wire: z.output<typeof finalizedSchema>): FinalizedBlock {
  return { block: blockFromWire(wire.block), certificate: { ...wire.certificate } as FinalizedBlock["certificate"] };
}

/** Why a payload was refused: the P2P layer turns it into REJECT (the sender built it). */
export class WireDecodeError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "WireDecodeError";
  }
}

function parseJson(bytes: Uint8Array, maxBytes: number): unknown {
  if (bytes.length > maxBytes) throw new WireDecodeError(`message of ${bytes.length} bytes > ${maxBytes}`);
  try {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8"));
  } catch {
    throw new WireDecodeError("not JSON");
  }
}

function check<S extends z.ZodType>(schema: S, json: unknown): z.output<S> {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new WireDecodeError(formatIssues(parsed.error, json));
  }
  return parsed.data;
}

const utf8 = (value: unknown) => new Uint8Array(Buffer.from(JSON.stringify(value), "utf8"));

export function encodeConsensusMessage(message: ConsensusMessage): Uint8Array {
  switch (message.type) {
    case "proposal":
      return utf8({ ...message, block: blockToWire(message.block) });
    case "commit":
      return utf8({ type: "commit", finalized: finalizedToWire(message.finalized) });
    default:
      return utf8(message);
  }
}

/** Throws WireDecodeError for anything but a well-formed message within the size limit. */
export function decodeConsensusMessage(bytes: Uint8Array, maxBytes = MAX_CONSENSUS_MESSAGE_BYTES): ConsensusMessage {
  const m = check(messageSchema, parseJson(bytes, maxBytes));
  switch (m.type) {
    case "proposal":
      return { ...m, block: blockFromWire(m.block), signature: m.signature as Hex };
    case "vote":
      return {
        ...m,
        blockHash: m.blockHash as Hex | null,
        validator: m.validator as Address,
        signature: m.signature as Hex,
      };
    case "commit":
      return { type: "commit", finalized: finalizedFromWire(m.finalized) };
  }
}

function encodeFinalizedBlock(finalized: FinalizedBlock): Uint8Array {
  return utf8(finalizedToWire(finalized));
}

/** A batch of finalized blocks (a sync response): a JSON array of the same objects. */
export function encodeFinalizedBlocks(blocks: readonly FinalizedBlock[]): Uint8Array {
  return encodeFinalizedBlocksWithin(blocks, Infinity);
}

/**
 * The longest prefix of `blocks` whose batch encoding stays within `maxBytes` (at least one block,
 * so a chain of large blocks still syncs): the same bytes as encodeFinalizedBlocks of that prefix.
 */
export function encodeFinalizedBlocksWithin(blocks: readonly FinalizedBlock[], maxBytes: number): Uint8Array {
  return batchWithinBytes(blocks, maxBytes).data;
}

/** encodeFinalizedBlocksWithin, with the blocks that made it into the batch (a sync answer). */
export function batchWithinBytes(
  blocks: readonly FinalizedBlock[],
  maxBytes: number,
): { readonly blocks: readonly FinalizedBlock[]; readonly data: Uint8Array } {
  const parts: Uint8Array[] = [];
  let length = 2; // "[" and "]"
  for (const finalized of blocks) {
    const part = encodeFinalizedBlock(finalized);
    const added = part.length + (parts.length > 0 ? 1 : 0);
    if (parts.length > 0 && length + added > maxBytes) break;
    parts.push(part);
    length += added;
  }
  return { blocks: blocks.slice(0, parts.length), data: utf8Join(parts) };
}

function utf8Join(parts: readonly Uint8Array[]): Uint8Array {
  const comma = Buffer.from(",");
  const pieces: Uint8Array[] = [Buffer.from("[")];
  parts.forEach((part, i) => pieces.push(...(i > 0 ? [comma, part] : [part])));
  pieces.push(Buffer.from("]"));
  return new Uint8Array(Buffer.concat(pieces));
}

export function decodeFinalizedBlocks(bytes: Uint8Array, maxCount: number, maxBytes: number): FinalizedBlock[] {
  return check(z.array(finalizedSchema).max(maxCount), parseJson(bytes, maxBytes)).map(finalizedFromWire);
}
