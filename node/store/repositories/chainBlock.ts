import type { FinalizedBlock } from "../../chain/types";
import { readUint64, writeUint64 } from "../bytes";
import { Bucket, type BatchOp, type Database } from "../database";
import { decodeStoredBlock, encodeStoredBlock } from "../finalizedBlockCodec";
import { type Codec, Repository } from "../repository";

/** Heights as 8-byte big-endian keys: LevelDB order is height order. */
export const heightCodec: Codec<number> = {
  encode(height) {
    const out = new Uint8Array(8);
    writeUint64(out, 0, height);
    return out;
  },
  decode: (bytes) => readUint64(bytes, 0),
};

/** Finalized blocks with their commit certificates, by height, in the store's own format. */
const finalizedCodec: Codec<FinalizedBlock> = { encode: encodeStoredBlock, decode: decodeStoredBlock };

export class ChainBlockRepository {
  private readonly repo: Repository<number, FinalizedBlock>;

  constructor(db: Database) {
    this.repo = new Repository(db, Bucket.chainBlock, heightCodec, finalizedCodec);
  }

  get(height: number): Promise<FinalizedBlock | undefined> {
    return this.repo.get(height);
  }

  /** Blocks with from <= height <= to, in height order. */
  async range(from: number, to: number): Promise<FinalizedBlock[]> {
    if (to < from) return [];
    return (await this.repo.entries({ gt: from - 1, lte: to })).map(([, block]) => block);
  }

  putOp(finalized: FinalizedBlock): BatchOp {
    return this.repo.putOp(finalized.block.header.height, finalized);
  }
}
