import type { RegistryEvent } from "../registry/events";
import type { L1BlockRef } from "../types/l1";
import { type BatchOp, type Database, openDatabase, writeBatch } from "./database";
import { StoreError, StoreErrorCode } from "./errors";
import { RegistryEventRepository } from "./repositories/registryEvent";
import { L1CursorRepository } from "./repositories/l1Cursor";
import { L1HeaderRepository, type StoredL1Header } from "./repositories/l1Header";
import { MetaRepository, type StoreIdentity } from "./repositories/meta";

/** One step of ingestion: committed as one atomic, synced batch. */
export interface L1Advance {
  /** The range's events, in L1 order. */
  readonly events: readonly RegistryEvent[];
  /** Headers to keep: the blocks carrying events and the range's last block. */
  readonly headers: readonly StoredL1Header[];
  /** The range's last block: the new cursor. */
  readonly cursor: L1BlockRef;
  /** Headers no longer needed (confirmed, no events, below the confirmed head). */
  readonly pruneHeaders: readonly number[];
  /** The new confirmed head, when this step moves it (its header is kept). */
  readonly confirmed?: L1BlockRef;
}

/**
 * The follower's view of the node database: the cursor, the kept L1 headers and the governance
 * events. Every change is one atomic batch, so a process killed at any instant leaves either the
 * state before or the state after a step, never a mix (checked by `checkConsistency`).
 */
export class L1Store {
  readonly cursor: L1CursorRepository;
  readonly headers: L1HeaderRepository;
  readonly events: RegistryEventRepository;
  readonly meta: MetaRepository;

  constructor(readonly db: Database) {
    this.cursor = new L1CursorRepository(db);
    this.headers = new L1HeaderRepository(db);
    this.events = new RegistryEventRepository(db);
    this.meta = new MetaRepository(db);
  }

  /** Opens the database at `path`; a database held by another process is a typed LOCKED error. */
  static async open(path: string): Promise<L1Store> {
    try {
      return new L1Store(await openDatabase(path));
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause;
      if ((err as { code?: string }).code === "LEVEL_DATABASE_NOT_OPEN" && cause?.code === "LEVEL_LOCKED") {
        throw new StoreError({ code: StoreErrorCode.LOCKED, path });
      }
      throw err;
    }
  }

  close(): Promise<void> {
    return this.db.close();
  }

  /** Records the identity on first use; afterwards refuses a different one. */
  async ensureIdentity(identity: StoreIdentity): Promise<void> {
    const stored = await this.meta.getIdentity();
    if (stored === undefined) return writeBatch(this.db, [this.meta.putIdentityOp(identity)]);
    for (const field of Object.keys(identity) as (keyof StoreIdentity)[]) {
      if (String(stored[field]).toLowerCase() !== String(identity[field]).toLowerCase()) {
        throw new StoreError({
          code: StoreErrorCode.FOREIGN_DATA_DIR,
          field,
          stored: String(stored[field]),
          expected: String(identity[field]),
        });
      }
    }
  }

  /** Stores a range's events and headers, prunes, and moves the cursor: all or nothing. */
  advance(step: L1Advance): Promise<void> {
    const ops: BatchOp[] = [];
    for (const event of step.events) ops.push(this.events.putOp(event));
    for (const header of step.headers) ops.push(this.headers.putOp(header));
    for (const number of step.pruneHeaders) ops.push(this.headers.delOp(number));
    ops.push(this.cursor.putOp(step.cursor));
    if (step.confirmed !== undefined) ops.push(this.cursor.putConfirmedOp(step.confirmed));
    return writeBatch(this.db, ops);
  }

  /** Deletes everything above `ancestor` and moves the cursor back to it: all or nothing. */
  async rewind(ancestor: L1BlockRef): Promise<void> {
    const ops: BatchOp[] = [];
    for (const key of await this.events.keysAbove(ancestor.number)) ops.push(this.events.delOp(key));
    for (const header of await this.headers.range(ancestor.number, undefined))
      ops.push(this.headers.delOp(header.number));
    ops.push(this.cursor.putOp(ancestor));
    await writeBatch(this.db, ops);
  }

  /** The stored confirmed head, with its header. Undefined until the follower confirmed a block. */
  async confirmedHead(): Promise<StoredL1Header | undefined> {
    const ref = await this.cursor.getConfirmed();
    if (ref === undefined) return undefined;
    const header = await this.headers.get(ref.number);
    if (header?.hash !== ref.hash) {
      throw new StoreError({
        code: StoreErrorCode.INCONSISTENT,
        reason: `no header for the confirmed head ${ref.number}`,
      });
    }
    return header;
  }

  /** Checks every invariant between cursor, headers and events (O(store); for tests and `repchain check`). */
  async checkConsistency(): Promise<void> {
    const cursor = await this.cursor.get();
    const headers = await this.headers.range(undefined, undefined);
    const events = await this.events.inBlockRange(-1, Number.MAX_SAFE_INTEGER);
    const fail = (reason: string) => new StoreError({ code: StoreErrorCode.INCONSISTENT, reason });
    if (cursor === undefined) {
      if (headers.length > 0 || events.length > 0) throw fail("headers or events without a cursor");
      return;
    }
    const byNumber = new Map(headers.map((h) => [h.number, h]));
    if (byNumber.get(cursor.number)?.hash !== cursor.hash) throw fail(`no header for the cursor ${cursor.number}`);
    const confirmed = await this.cursor.getConfirmed();
    if (confirmed !== undefined && byNumber.get(confirmed.number)?.hash !== confirmed.hash) {
      throw fail(`no header for the confirmed head ${confirmed.number}`);
    }
    if (headers[headers.length - 1].number !== cursor.number) throw fail("a header above the cursor");
    const counts = new Map<number, number>();
    for (const e of events) {
      const header = byNumber.get(e.blockNumber);
      if (header === undefined || header.hash !== e.blockHash)
        throw fail(`event ${e.blockNumber}/${e.logIndex} has no header`);
      counts.set(e.blockNumber, (counts.get(e.blockNumber) ?? 0) + 1);
    }
    for (const h of headers) {
      if ((counts.get(h.number) ?? 0) !== h.eventCount)
        throw fail(`block ${h.number} should hold ${h.eventCount} events`);
      const parent = byNumber.get(h.number - 1);
      if (parent !== undefined && parent.hash !== h.parentHash)
        throw fail(`headers ${h.number - 1}..${h.number} do not link`);
    }
  }
}

export type { StoredL1Header, StoreIdentity };
