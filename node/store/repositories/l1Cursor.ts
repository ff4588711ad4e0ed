import type { L1BlockRef } from "../../types/l1";
import { readHex, readUint64, writeHex, writeUint64 } from "../bytes";
import { Bucket, type Database } from "../database";
import { type Codec, Repository } from "../repository";

/** The two keys of the cursor bucket: how far the follower has ingested, and what it has confirmed. */
type CursorKey = "ingested" | "confirmed";

const keyCodec: Codec<CursorKey> = {
  encode: (key) => Uint8Array.of(key === "ingested" ? 0 : 1),
  decode: (bytes) => (bytes[0] === 0 ? "ingested" : "confirmed"),
};

/** number (8 bytes, big-endian) ‖ hash (32 bytes). */
export const l1BlockRefCodec: Codec<L1BlockRef> = {
  encode(ref) {
    const out = new Uint8Array(40);
    writeUint64(out, 0, ref.number);
    writeHex(out, 8, ref.hash, 32);
    return out;
  },
  decode(bytes) {
    if (bytes.length !== 40) throw new RangeError(`l1 cursor: expected 40 bytes, got ${bytes.length}`);
    return { number: readUint64(bytes, 0), hash: readHex(bytes, 8, 32) };
  },
};

/**
 * The last L1 block whose events are all stored (the follower resumes after it), and the confirmed
 * head consumers may have read. The confirmed head is stored, not recomputed from the cursor, so
 * it never moves back across a restart (a reorg that shortened the chain moves the cursor back)
 * and a reorg reaching it halts the follower even after a restart.
 */
export class L1CursorRepository {
  private readonly repo: Repository<CursorKey, L1BlockRef>;

  constructor(db: Database) {
    this.repo = new Repository(db, Bucket.l1Cursor, keyCodec, l1BlockRefCodec);
  }

  get(): Promise<L1BlockRef | undefined> {
    return this.repo.get("ingested");
  }

  putOp(ref: L1BlockRef) {
    return this.repo.putOp("ingested", ref);
  }

  getConfirmed(): Promise<L1BlockRef | undefined> {
    return this.repo.get("confirmed");
  }

  putConfirmedOp(ref: L1BlockRef) {
    return this.repo.putOp("confirmed", ref);
  }
}
