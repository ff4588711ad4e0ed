/**
 * A token bucket: `capacity` tokens, refilled at `perSecond`; take(n) spends n if there are
 * that many. Time comes in from the caller, so it is exact in tests.
 */
export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    nowMs: number,
  ) {
    this.tokens = capacity;
    this.lastMs = nowMs;
  }

  take(n: number, nowMs: number): boolean {
    this.tokens = Math.min(this.capacity, this.tokens + ((nowMs - this.lastMs) / 1000) * this.perSecond);
    this.lastMs = nowMs;
    if (n > this.tokens) return false;
    this.tokens -= n;
    return true;
  }
}
