import { decodeRegistryEvent, encodeRegistryEvent } from "../../registry";
import type { RegistryEvent } from "../../registry/events";
import { readUint32, readUint64, writeUint32, writeUint64 } from "../bytes";
import { Bucket, type BatchOp, type Database } from "../database";
import { type Codec, Repository } from "../repository";

/** An event's place in L1 history: the store's order, and its identity on one chain. */
export interface EventKey {
  readonly blockNumber: number;
  readonly logIndex: number;
}

/** blockNumber (8, big-endian) ‖ logIndex (4, big-endian): byte order = L1 order. */
const eventKeyCodec: Codec<EventKey> = {
  encode(k) {
    const out = new Uint8Array(12);
    writeUint64(out, 0, k.blockNumber);
    writeUint32(out, 8, k.logIndex);
    return out;
  },
  decode: (bytes) => ({ blockNumber: readUint64(bytes, 0), logIndex: readUint32(bytes, 8) }),
};

/** The canonical encoding of node/registry/codec.ts (the one L2 blocks will carry). */
const eventCodec: Codec<RegistryEvent> = { encode: encodeRegistryEvent, decode: decodeRegistryEvent };

/** The L1 registry events in L1 order. */
export class RegistryEventRepository {
  private readonly repo: Repository<EventKey, RegistryEvent>;

  constructor(db: Database) {
    this.repo = new Repository(db, Bucket.governanceEvent, eventKeyCodec, eventCodec);
  }

  putOp(event: RegistryEvent): BatchOp {
    return this.repo.putOp(event, event);
  }

  delOp(key: EventKey): BatchOp {
    return this.repo.delOp(key);
  }

  /** The events of blocks fromExclusive < n <= toInclusive, in L1 order (fromExclusive -1: from the start). */
  async inBlockRange(fromExclusive: number, toInclusive: number): Promise<RegistryEvent[]> {
    if (toInclusive <= fromExclusive) return [];
    const entries = await this.repo.entries({
      gt: fromExclusive < 0 ? undefined : { blockNumber: fromExclusive, logIndex: 0xffffffff },
      lte: { blockNumber: toInclusive, logIndex: 0xffffffff },
    });
    return entries.map(([, event]) => event);
  }

  /** Keys of the events above `blockNumber` (what a rewind deletes). */
  keysAbove(blockNumber: number): Promise<EventKey[]> {
    return this.repo.keys({ gt: { blockNumber, logIndex: 0xffffffff } });
  }
}
