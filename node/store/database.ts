import { ClassicLevel } from "classic-level";

/**
 * One embedded LevelDB database per node. Every stored type lives under its own one-byte bucket
 * prefix, so later stages (L2 blocks, certificates, state) add a bucket here and share the same
 * file and the same atomic batches. Never renumber a bucket: the numbers are on disk.
 */
export enum Bucket {
  /** Identity of the data directory (chain id, registries, deployment block): refuse a foreign one. */
  meta = 0,
  /** The follower's cursor: the last L1 block whose events are fully stored. */
  l1Cursor = 1,
  /** L1 block headers the follower still needs (reorg window, blocks with events, confirmed head). */
  l1Header = 2,
  /** Governance events keyed by (L1 block number, log index). */
  governanceEvent = 3,
  /** Finalized L2 blocks with their commit certificates, keyed by height. */
  chainBlock = 4,
  /** L2 block hash → height. */
  chainBlockIndex = 5,
  /** L2 transaction hash → (height, index in the block). */
  chainTxIndex = 6,
  /** The finalized head (height, hash): written in the same batch as its block. */
  chainHead = 7,
  /** Committed equivocation evidence this node is done with on L1 (hash → outcome): submitted once. */
  evidenceSubmission = 8,
}

export type Database = ClassicLevel<Uint8Array, Uint8Array>;

/** A write of one batch: everything in it lands on disk together or not at all. */
export type BatchOp = { type: "put"; key: Uint8Array; value: Uint8Array } | { type: "del"; key: Uint8Array };

/** Opens (creating if needed) the node database at `path`. Keys and values are raw bytes. */
export async function openDatabase(path: string): Promise<Database> {
  const db = new ClassicLevel<Uint8Array, Uint8Array>(path, { keyEncoding: "view", valueEncoding: "view" });
  await db.open();
  return db;
}

/**
 * Writes `ops` as one atomic batch. `sync: true` makes LevelDB fsync its log before returning:
 * used at commit points, so an acknowledged cursor advance survives a power loss, not just a crash.
 */
export async function writeBatch(db: Database, ops: BatchOp[], sync = true): Promise<void> {
  if (ops.length === 0) return;
  // The chained form: measured here ~8x faster than db.batch(array) for 10k puts (the array form
  // validates and copies every operation again in abstract-level). Same single atomic write.
  const batch = db.batch();
  for (const op of ops) {
    if (op.type === "put") batch.put(op.key, op.value);
    else batch.del(op.key);
  }
  await batch.write({ sync });
}
