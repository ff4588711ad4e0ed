import { z } from "zod";
import { formatIssues } from "../config/zodIssue";
import type { SyncFault, SyncSettings } from "../sync/syncMachine";

/**
 * Block sync over P2P request/response (docs/node.md, "Catching up"). A node asks each peer its
 * finalized height ("sync/status" → {height}) and peers that claim more for ranges of blocks
 * ("sync/blocks" {from, to, maxBytes} → a JSON array of finalized blocks, the longest prefix of the
 * range within maxBytes). Each block comes with its commit certificate and is verified like any
 * other before it is stored.
 */
export const SYNC_STATUS = "sync/status";
export const SYNC_BLOCKS = "sync/blocks";
export const MAX_BLOCKS_PER_REQUEST = 64;
/**
 * The largest response, refused above this before parsing. A maximum-size block fits in it (the
 * genesis block budget) and the frame limit is derived to carry it (frameBudget.ts).
 */
export const MAX_SYNC_RESPONSE_BYTES = 4 * 1024 * 1024 - 1024;
/** Bytes asked per request; several requests go out in parallel to different peers. */
export const SYNC_BATCH_BYTES = 1024 * 1024;
/** Received-but-not-imported plus requested bytes: 16 batches. */
export const SYNC_BUFFER_BYTES = 16 * SYNC_BATCH_BYTES;

/** The node's catch-up budgets; `intervalMs` (syncIntervalMs) paces the status requests. */
export function nodeSyncSettings(intervalMs: number): SyncSettings {
  return {
    statusIntervalMs: intervalMs,
    requestTimeoutMs: 5_000,
    hedgeAfterMs: 1_000,
    batchBytes: SYNC_BATCH_BYTES,
    maxBlocksPerRequest: MAX_BLOCKS_PER_REQUEST,
    maxResponseBytes: MAX_SYNC_RESPONSE_BYTES,
    maxBufferBytes: SYNC_BUFFER_BYTES,
    maxInflightPerPeer: 2,
    backoffMs: 2_000,
    maxBackoffMs: 60_000,
    deferRetryMs: 500,
  };
}

/** Score a sync fault costs a peer in the P2P layer (ban at −100): serving a forged block is the worst. */
export const SYNC_PENALTY: Readonly<Record<SyncFault, number>> = {
  "not-served": -10,
  timeout: -10,
  garbage: -25,
  oversize: -25,
  "invalid-block": -50,
};

const height = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
export const statusSchema = z.strictObject({ height });
export const blocksRequestSchema = z
  .strictObject({
    from: height.min(1),
    to: height.min(1),
    maxBytes: z.number().int().min(1).max(MAX_SYNC_RESPONSE_BYTES),
  })
  .refine((r) => r.to >= r.from && r.to - r.from < MAX_BLOCKS_PER_REQUEST, {
    message: `to must be in [from, from + ${MAX_BLOCKS_PER_REQUEST - 1}]`,
  });

export type SyncStatus = z.infer<typeof statusSchema>;
export type BlocksRequest = z.infer<typeof blocksRequestSchema>;

export function encodeJson(value: unknown): Uint8Array {
  return new Uint8Array(Buffer.from(JSON.stringify(value), "utf8"));
}

/** Parses a small JSON request or status; throws with the schema's first issue. */
export function decodeJson<S extends z.ZodType>(schema: S, bytes: Uint8Array, maxBytes = 1024): z.output<S> {
  if (bytes.length > maxBytes) throw new Error(`message of ${bytes.length} bytes > ${maxBytes}`);
  const json: unknown = JSON.parse(Buffer.from(bytes).toString("utf8"));
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new Error(`bad sync message: ${formatIssues(parsed.error, json)}`);
  return parsed.data;
}

/** A peer's status answer as it claims it: the height field, whatever it is (the machine judges it). */
export function claimedHeight(bytes: Uint8Array): unknown {
  if (bytes.length > 1024) return undefined;
  try {
    const json = JSON.parse(Buffer.from(bytes).toString("utf8")) as unknown;
    return typeof json === "object" && json !== null ? (json as { height?: unknown }).height : undefined;
  } catch {
    return undefined;
  }
}
