import type { Hex } from "../../types/primitives";
import { readHex, readUint64, writeHex, writeUint64 } from "../bytes";
import { Bucket, type BatchOp, type Database } from "../database";
import { type Codec, Repository } from "../repository";

/** The newest finalized block this store holds in full (it and every block below it). */
export interface ChainHead {
  readonly height: number;
  readonly hash: Hex;
}

const keyCodec: Codec<"head"> = { encode: () => new Uint8Array(0), decode: () => "head" };

/** height (8) ‖ hash (32). */
const headCodec: Codec<ChainHead> = {
  encode(head) {
    const out = new Uint8Array(40);
    writeUint64(out, 0, head.height);
    writeHex(out, 8, head.hash, 32);
    return out;
  },
  decode(bytes) {
    if (bytes.length !== 40) throw new RangeError(`chain head: expected 40 bytes, got ${bytes.length}`);
    return { height: readUint64(bytes, 0), hash: readHex(bytes, 8, 32) };
  },
};

export class ChainHeadRepository {
  private readonly repo: Repository<"head", ChainHead>;

  constructor(db: Database) {
    this.repo = new Repository(db, Bucket.chainHead, keyCodec, headCodec);
  }

  get(): Promise<ChainHead | undefined> {
    return this.repo.get("head");
  }

  putOp(head: ChainHead): BatchOp {
    return this.repo.putOp("head", head);
  }
}
