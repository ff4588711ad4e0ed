/**
 * The eth_getLogs range size, in blocks. It starts small (a fresh follower does not know how dense
 * the history is) and doubles after each range that carried at most half of the target events (TARGET_EVENTS), up to
 * the configured maximum; a range that carried more than the target scales the next one down to
 * the target. So a range's events stay bounded in memory and several ranges make up a long
 * catch-up, whose fetches then overlap the previous range's write (follower.ts). When the endpoint
 * refuses a range (too many results, 429, timeout, reset) it halves, and after that it doubles
 * back only after a run of successes, so one refusal costs a few small ranges, not a permanently
 * slow follower.
 */
export class RangeSize {
  private current: number;
  private successes = 0;
  /** Set by a refusal: grow back only after GROW_AFTER successes in a row. */
  private cautious = false;

  /** Successes in a row before a refused range doubles again. */
  static readonly GROW_AFTER = 4;
  /** The first range's size in blocks (or the maximum, if lower): small, so reading ahead starts soon. */
  static readonly FIRST_BLOCKS = 32;
  /** The events a range should carry at most, by default. */
  static readonly TARGET_EVENTS = 10_000;

  constructor(
    private readonly max: number,
    private readonly targetEvents = RangeSize.TARGET_EVENTS,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxBlockRange must be >= 1, got ${max}`);
    this.current = Math.min(max, RangeSize.FIRST_BLOCKS);
  }

  get blocks(): number {
    return this.current;
  }

  shrink(): void {
    this.current = Math.max(1, Math.floor(this.current / 2));
    this.successes = 0;
    this.cautious = true;
  }

  /** A range of `blocks` blocks carrying `events` events was read. */
  succeeded(blocks: number, events: number): void {
    const target = this.targetEvents;
    if (events > target) {
      this.current = Math.max(1, Math.floor((blocks * target) / events));
      this.successes = 0;
      return;
    }
    if (this.current === this.max || events * 2 > target || blocks < this.current) return;
    if (this.cautious && ++this.successes < RangeSize.GROW_AFTER) return;
    this.current = Math.min(this.max, this.current * 2);
    this.successes = 0;
  }
}
