import type { Hex } from "../../types/primitives";
import { readHex, readUint32, readUint64, writeHex, writeUint32, writeUint64 } from "../bytes";
import { Bucket, type BatchOp, type Database } from "../database";
import { type Codec, Repository } from "../repository";
import { heightCodec } from "./chainBlock";

const hashCodec: Codec<Hex> = {
  encode(hash) {
    const out = new Uint8Array(32);
    writeHex(out, 0, hash, 32);
    return out;
  },
  decode: (bytes) => readHex(bytes, 0, 32),
};

/** Where a transaction is: height (8) ‖ index in the block (4). */
export interface TxLocation {
  readonly height: number;
  readonly index: number;
}

const txLocationCodec: Codec<TxLocation> = {
  encode(location) {
    const out = new Uint8Array(12);
    writeUint64(out, 0, location.height);
    writeUint32(out, 8, location.index);
    return out;
  },
  decode: (bytes) => ({ height: readUint64(bytes, 0), index: readUint32(bytes, 8) }),
};

/** Block hash → height: lookups by hash (JSON-RPC) without scanning the blocks. */
export class BlockHashIndex {
  private readonly repo: Repository<Hex, number>;

  constructor(db: Database) {
    this.repo = new Repository(db, Bucket.chainBlockIndex, hashCodec, heightCodec);
  }

  get(hash: Hex): Promise<number | undefined> {
    return this.repo.get(hash);
  }

  putOp(hash: Hex, height: number): BatchOp {
    return this.repo.putOp(hash, height);
  }
}

/** Transaction hash → its location in the chain. */
export class TxIndex {
  private readonly repo: Repository<Hex, TxLocation>;

  constructor(db: Database) {
    this.repo = new Repository(db, Bucket.chainTxIndex, hashCodec, txLocationCodec);
  }

  get(hash: Hex): Promise<TxLocation | undefined> {
    return this.repo.get(hash);
  }

  putOp(hash: Hex, location: TxLocation): BatchOp {
    return this.repo.putOp(hash, location);
  }
}
