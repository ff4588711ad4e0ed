import type { L1Header } from "../../types/l1";
import { readHex, readUint32, readUint64, writeHex, writeUint32, writeUint64 } from "../bytes";
import { Bucket, type BatchOp, type Database } from "../database";
import { type Codec, Repository } from "../repository";

/** A stored header and how many governance events its block carries (0 for range ends). */
export interface StoredL1Header extends L1Header {
  readonly eventCount: number;
}

export const blockNumberKey: Codec<number> = {
  encode(n) {
    const out = new Uint8Array(8);
    writeUint64(out, 0, n);
    return out;
  },
  decode: (bytes) => readUint64(bytes, 0),
};

/** hash ‖ parentHash ‖ timestamp (8) ‖ eventCount (4); the number is the key. */
const SIZE = 32 + 32 + 8 + 4;

function headerCodec(): Codec<Omit<StoredL1Header, "number">> {
  return {
    encode(h) {
      const out = new Uint8Array(SIZE);
      writeHex(out, 0, h.hash, 32);
      writeHex(out, 32, h.parentHash, 32);
      writeUint64(out, 64, h.timestamp);
      writeUint32(out, 72, h.eventCount);
      return out;
    },
    decode(bytes) {
      if (bytes.length !== SIZE) throw new RangeError(`l1 header: expected ${SIZE} bytes, got ${bytes.length}`);
      return {
        hash: readHex(bytes, 0, 32),
        parentHash: readHex(bytes, 32, 32),
        timestamp: readUint64(bytes, 64),
        eventCount: readUint32(bytes, 72),
      };
    },
  };
}

/**
 * L1 headers by block number. Kept: the blocks above the confirmed head (the window a reorg can
 * still change, needed to find the common ancestor), the confirmed head itself, and every block
 * that carries events (its hash is the events' provenance).
 */
export class L1HeaderRepository {
  private readonly repo: Repository<number, Omit<StoredL1Header, "number">>;

  constructor(db: Database) {
    this.repo = new Repository(db, Bucket.l1Header, blockNumberKey, headerCodec());
  }

  async get(number: number): Promise<StoredL1Header | undefined> {
    const h = await this.repo.get(number);
    return h === undefined ? undefined : { number, ...h };
  }

  putOp(header: StoredL1Header): BatchOp {
    const { number, ...rest } = header;
    return this.repo.putOp(number, rest);
  }

  delOp(number: number): BatchOp {
    return this.repo.delOp(number);
  }

  /** Headers with number in (gt, lte], ascending unless `reverse`. */
  async range(gt: number | undefined, lte: number | undefined, reverse = false): Promise<StoredL1Header[]> {
    const entries = await this.repo.entries({ gt: gt !== undefined && gt < 0 ? undefined : gt, lte, reverse });
    return entries.map(([number, h]) => ({ number, ...h }));
  }

  /** The highest stored header with number <= `lte`. */
  async highestAtOrBelow(lte: number): Promise<StoredL1Header | undefined> {
    const [entry] = await this.repo.entries({ lte, reverse: true, limit: 1 });
    return entry === undefined ? undefined : { number: entry[0], ...entry[1] };
  }
}
