import { keccak256 } from "js-sha3";
import { ValidationResult } from "./validationResult";

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

  /**
   * What the topic handler said of the message `id` (marked by `add` on arrival): an IGNOREd one is
   * forgotten, so its next copy is read. IGNORE means "not now" (too far ahead, before consensus has
   * started, an anchor not yet confirmed), and a validator stuck without quorum resends the same
   * signed bytes until they are counted: remembering them would drop every later copy unread
   * (issue 11's lost-quorum stall). ACCEPTed and REJECTed ids stay.
   */
  handled(id: string, result: ValidationResult): void {
    if (result === ValidationResult.Ignore) this.ids.delete(id);
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

/** A gossip message's id: keccak256(topic ‖ 0x00 ‖ data) (docs/p2p.md). */
export function gossipId(topic: string, data: Uint8Array): string {
  return keccak256(Buffer.concat([Buffer.from(`${topic}\u0000`, "latin1"), data]));
}
