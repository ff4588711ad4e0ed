import { type BatchOp, type Bucket, type Database } from "./database";

/** How one stored type turns into bytes and back: defined once, per repository. */
export interface Codec<T> {
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

/**
 * The keys and values of one bucket (Lodestar `db/repositories` style). Reads go straight to the
 * database; writes are returned as batch operations so the caller can commit several
 * repositories' changes in one atomic batch.
 */
export class Repository<K, V> {
  private readonly prefix: Uint8Array;

  constructor(
    private readonly db: Database,
    bucket: Bucket,
    private readonly keyCodec: Codec<K>,
    private readonly valueCodec: Codec<V>,
  ) {
    this.prefix = Uint8Array.of(bucket);
  }

  async get(key: K): Promise<V | undefined> {
    const bytes = await this.db.get(this.dbKey(key));
    return bytes === undefined ? undefined : this.valueCodec.decode(bytes);
  }

  putOp(key: K, value: V): BatchOp {
    return { type: "put", key: this.dbKey(key), value: this.valueCodec.encode(value) };
  }

  delOp(key: K): BatchOp {
    return { type: "del", key: this.dbKey(key) };
  }

  /**
   * Entries with `gt < key <= lte` (bounds optional) in key order, or reversed. The bucket
   * bounds keep the scan inside this repository.
   */
  async entries(range: { gt?: K; lte?: K; reverse?: boolean; limit?: number } = {}): Promise<[K, V][]> {
    const out: [K, V][] = [];
    for await (const [key, value] of this.db.iterator(this.iteratorOptions(range))) {
      out.push([this.keyCodec.decode(key.subarray(1)), this.valueCodec.decode(value)]);
    }
    return out;
  }

  /** Keys only, same range rules as `entries`. */
  async keys(range: { gt?: K; lte?: K; reverse?: boolean; limit?: number } = {}): Promise<K[]> {
    const out: K[] = [];
    for await (const key of this.db.keys(this.iteratorOptions(range))) out.push(this.keyCodec.decode(key.subarray(1)));
    return out;
  }

  private iteratorOptions(range: { gt?: K; lte?: K; reverse?: boolean; limit?: number }) {
    return {
      gt: range.gt === undefined ? this.prefix : this.dbKey(range.gt),
      // A key never equals the next bucket's one-byte prefix, so `lt` it bounds the bucket.
      ...(range.lte === undefined ? { lt: Uint8Array.of(this.prefix[0] + 1) } : { lte: this.dbKey(range.lte) }),
      reverse: range.reverse ?? false,
      limit: range.limit ?? -1,
    };
  }

  private dbKey(key: K): Uint8Array {
    const encoded = this.keyCodec.encode(key);
    const out = new Uint8Array(1 + encoded.length);
    out[0] = this.prefix[0];
    out.set(encoded, 1);
    return out;
  }
}
