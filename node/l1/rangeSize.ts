/**
 * The eth_getLogs range size: starts at the configured maximum, halves when the endpoint refuses
 * a range (too many results, 429, timeout, reset) and doubles back after a run of successes, so
 * one refusal costs a few small ranges, not a permanently slow follower.
 */
export class RangeSize {
  private current: number;
  private successes = 0;

  /** Successes in a row before the range doubles again. */
  static readonly GROW_AFTER = 4;

  constructor(private readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxBlockRange must be >= 1, got ${max}`);
    this.current = max;
  }

  get blocks(): number {
    return this.current;
  }

  shrink(): void {
    this.current = Math.max(1, Math.floor(this.current / 2));
    this.successes = 0;
  }

  succeeded(): void {
    if (this.current === this.max) return;
    if (++this.successes >= RangeSize.GROW_AFTER) {
      this.current = Math.min(this.max, this.current * 2);
      this.successes = 0;
    }
  }
}
