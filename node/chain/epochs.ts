import type { Address } from "../types/primitives";

/**
 * Heights and epochs. Height 0 is genesis (not a block); blocks 1..L form epoch 0, L+1..2L epoch 1,
 * and so on: epoch(h) = ⌊(h − 1) / L⌋. The last block of an epoch (h ≡ 0 mod L) carries the
 * election, and the set it elects signs from the next block on: a set switches exactly at an
 * epoch's first block, never inside one.
 */
export function epochOf(height: number, epochLength: number): number {
  if (height < 1) return 0;
  return Math.floor((height - 1) / epochLength);
}

export function isLastOfEpoch(height: number, epochLength: number): boolean {
  return height >= 1 && height % epochLength === 0;
}

/**
 * The proposer of (height, round): round robin over the epoch's representatives in their elected
 * order (votes desc, address asc), starting at index (height + round) mod n. Every representative
 * gets a turn within n rounds, and a silent proposer costs one round timeout, not the height.
 */
export function proposerFor(representatives: readonly Address[], height: number, round: number): Address {
  if (representatives.length === 0) throw new RangeError("empty representative set");
  return representatives[(height + round) % representatives.length];
}

/** The largest f with n ≥ 3f + 1: how many faulty representatives the set tolerates. */
export function maxFaulty(n: number): number {
  return Math.floor((n - 1) / 3);
}

/** More than 2/3 of n distinct members: 2f + 1 when n = 3f + 1. */
export function quorum(n: number): number {
  return Math.floor((2 * n) / 3) + 1;
}
