/**
 * A bounded set of recently seen message ids, so gossip is delivered and forwarded once however
 * many peers relay it, in bounded memory. An id is remembered for `ttlMs` (as gossipsub's seenTTL):
 * a message sent again later — a transaction resubmitted after its mempool entry expired, a
 * heartbeat resent after it was evicted — is read again instead of being dropped until the cache
 * happens to cycle. Insertion-ordered by time of (re)marking: the oldest is evicted first.
 */
export class SeenCache {
  /** id → when it was marked. */
  private readonly ids = new Map<string, number>();

  constructor(
    private readonly capacity: number,
    private readonly ttlMs: number,
  ) {
    if (!(capacity > 0)) throw new RangeError(`SeenCache capacity must be positive, got ${capacity}`);
    if (!(ttlMs > 0)) throw new RangeError(`SeenCache ttlMs must be positive, got ${ttlMs}`);
  }

  /** Marks `id` seen at `nowMs`; returns false if it was seen within the last `ttlMs`. */
  add(id: string, nowMs: number): boolean {
    this.expire(nowMs);
    if (this.ids.has(id)) return false;
    this.ids.set(id, nowMs);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.keys().next().value as string);
    return true;
  }

  /** Forgets `id`: the next copy of it counts as new. */
  delete(id: string): void {
    this.ids.delete(id);
  }

  get size(): number {
    return this.ids.size;
  }

  /** Drops the ids marked more than `ttlMs` ago (they are at the front: marks only go forward in time). */
  private expire(nowMs: number): void {
    for (const [id, markedAt] of this.ids) {
      if (nowMs - markedAt <= this.ttlMs) return;
      this.ids.delete(id);
    }
  }
}
