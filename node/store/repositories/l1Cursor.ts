import type { L1BlockRef } from "../../types/l1";
import { readHex, readUint64, writeHex, writeUint64 } from "../bytes";
import { Bucket, type Database } from "../database";
import { type Codec, Repository } from "../repository";

/** The single key of the cursor bucket. */
const CURSOR_KEY = "cursor";

const keyCodec: Codec<typeof CURSOR_KEY> = {
  encode: () => new Uint8Array(0),
  decode: () => CURSOR_KEY,
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

/** The last L1 block whose events are all stored: the follower resumes after it. */
export class L1CursorRepository {
  private readonly repo: Repository<typeof CURSOR_KEY, L1BlockRef>;

  constructor(db: Database) {
    this.repo = new Repository(db, Bucket.l1Cursor, keyCodec, l1BlockRefCodec);
  }

  get(): Promise<L1BlockRef | undefined> {
    return this.repo.get(CURSOR_KEY);
  }

  putOp(ref: L1BlockRef) {
    return this.repo.putOp(CURSOR_KEY, ref);
  }
}
