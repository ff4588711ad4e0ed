import type { Hex } from "./primitives";

/** A reference to one L1 block: enough to tell whether it is still canonical. */
export interface L1BlockRef {
  readonly number: number;
  readonly hash: Hex;
}

/** The part of an L1 block header the follower keeps (and the election's snapshot time). */
export interface L1Header extends L1BlockRef {
  readonly parentHash: Hex;
  /** Seconds since the epoch, as in the block header. */
  readonly timestamp: number;
}
