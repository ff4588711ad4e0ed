import { grown } from "./grown";

/**
 * Every voter's approvals (candidate id → registration), in shared typed arrays rather than a Map
 * per voter: a replay creates ballots for hundreds of thousands of voters, and a Map each made the
 * garbage collector copy them all out of the young generation. A voter's ballot is a segment of the
 * pool that doubles (moving to the pool's end) when full; a removal moves the segment's last
 * approval into the hole, so a ballot is unordered.
 *
 * Lookups scan the segment, which is fast for the usual handful of approvals (maxVotesPerVoter is
 * 30 by default). The cap is governed, so a ballot may grow large: past INDEXED_FROM approvals the
 * voter also gets a Map from candidate to position, and every operation stays O(1).
 */

const INITIAL_SEGMENT = 4;
/** Approvals from which a ballot is indexed by a Map instead of scanned. */
export const INDEXED_FROM = 32;

export class Ballots {
  private starts = new Uint32Array(1024);
  private sizes = new Uint32Array(1024);
  private capacities = new Uint32Array(1024);
  /** 1 for a voter whose ballot has an index in `indexes`: the hot path reads this, not the Map. */
  private indexed = new Uint8Array(1024);
  private readonly indexes = new Map<number, Map<number, number>>();
  private candidates = new Int32Array(4096);
  private registrations = new Float64Array(4096);
  private poolEnd = 0;

  /** Makes room for voter ids below `voters`. */
  reserve(voters: number): void {
    this.starts = grown(this.starts, voters);
    this.sizes = grown(this.sizes, voters);
    this.capacities = grown(this.capacities, voters);
    this.indexed = grown(this.indexed, voters);
  }

  size(voter: number): number {
    return this.sizes[voter];
  }

  /** The pool position of voter's approval of candidate, or -1. */
  private find(voter: number, candidate: number): number {
    if (this.indexed[voter] === 1) return this.indexOf(voter).get(candidate) ?? -1;
    const start = this.starts[voter];
    const end = start + this.sizes[voter];
    for (let at = start; at < end; at++) if (this.candidates[at] === candidate) return at;
    return -1;
  }

  /** The registration voter approved of candidate; undefined if it holds no approval of it. */
  get(voter: number, candidate: number): number | undefined {
    const at = this.find(voter, candidate);
    return at < 0 ? undefined : this.registrations[at];
  }

  /** Adds an approval the voter does not hold (the caller checked). */
  add(voter: number, candidate: number, registration: number): void {
    if (this.sizes[voter] === this.capacities[voter]) this.moveToLargerSegment(voter);
    const at = this.starts[voter] + this.sizes[voter]++;
    this.candidates[at] = candidate;
    this.registrations[at] = registration;
    if (this.indexed[voter] === 1) this.indexOf(voter).set(candidate, at);
    else if (this.sizes[voter] > INDEXED_FROM) this.buildIndex(voter);
  }

  /** Removes an approval the voter holds and returns its registration. */
  remove(voter: number, candidate: number): number {
    const at = this.find(voter, candidate);
    const registration = this.registrations[at];
    const last = this.starts[voter] + --this.sizes[voter];
    const moved = this.candidates[last];
    this.candidates[at] = moved;
    this.registrations[at] = this.registrations[last];
    if (this.indexed[voter] === 1) {
      const index = this.indexOf(voter);
      index.delete(candidate);
      if (moved !== candidate) index.set(moved, at);
    }
    return registration;
  }

  // A voter's approvals are at pool positions [first, end): iteration without a closure per call.
  first(voter: number): number {
    return this.starts[voter];
  }

  end(voter: number): number {
    return this.starts[voter] + this.sizes[voter];
  }

  candidateAt(at: number): number {
    return this.candidates[at];
  }

  registrationAt(at: number): number {
    return this.registrations[at];
  }

  private moveToLargerSegment(voter: number): void {
    const capacity = Math.max(INITIAL_SEGMENT, this.capacities[voter] * 2);
    const from = this.starts[voter];
    const to = this.poolEnd;
    this.poolEnd += capacity;
    this.candidates = grown(this.candidates, this.poolEnd);
    this.registrations = grown(this.registrations, this.poolEnd);
    this.candidates.copyWithin(to, from, from + this.sizes[voter]);
    this.registrations.copyWithin(to, from, from + this.sizes[voter]);
    this.starts[voter] = to;
    this.capacities[voter] = capacity;
    if (this.indexed[voter] === 1) {
      const index = this.indexOf(voter);
      for (const [candidate, at] of index) index.set(candidate, at - from + to);
    }
  }

  private buildIndex(voter: number): void {
    const index = new Map<number, number>();
    const start = this.starts[voter];
    for (let at = start; at < start + this.sizes[voter]; at++) index.set(this.candidates[at], at);
    this.indexes.set(voter, index);
    this.indexed[voter] = 1;
  }

  private indexOf(voter: number): Map<number, number> {
    return this.indexes.get(voter) as Map<number, number>;
  }
}
