/**
 * A bounded set of recently seen message ids (insertion-ordered; the oldest is evicted first), so
 * gossip is delivered and forwarded once however many peers relay it, in bounded memory.
 */
export class SeenCache {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity: number) {
    if (!(capacity > 0)) throw new RangeError(`SeenCache capacity must be positive, got ${capacity}`);
  }

  /** Marks `id` seen; returns false if it was seen already. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value as string;
      this.ids.delete(oldest);
    }
    return true;
  }

  /** Forgets `id`: the next copy of it counts as new. */
  delete(id: string): void {
    this.ids.delete(id);
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  get size(): number {
    return this.ids.size;
  }
}
