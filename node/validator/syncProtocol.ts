import { z } from "zod";
import { formatIssues } from "../config/zodIssue";

/**
 * Block sync over P2P request/response (docs/node.md). A node asks each peer for its finalized
 * height ("sync/status"), and a peer ahead for the blocks it lacks ("sync/blocks"), at most
 * MAX_BLOCKS_PER_REQUEST per request; each block comes with its commit certificate and is verified
 * like any other before it is stored.
 */
export const SYNC_STATUS = "sync/status";
export const SYNC_BLOCKS = "sync/blocks";
export const MAX_BLOCKS_PER_REQUEST = 64;
/** A response larger than this is refused before parsing (64 blocks of a few hundred KiB). */
export const MAX_SYNC_RESPONSE_BYTES = 4 * 1024 * 1024 - 1024;

const height = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
export const statusSchema = z.strictObject({ height });
export const blocksRequestSchema = z.strictObject({
  from: height.min(1),
  count: z.number().int().min(1).max(MAX_BLOCKS_PER_REQUEST),
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
