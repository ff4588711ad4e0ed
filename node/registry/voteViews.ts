import type { Address } from "../types/primitives";
import type { VoteBook } from "./voteBook";

/**
 * A read-only Map over data kept elsewhere: RegistryState's `approvals`, `power` and `tally` are
 * views of its VoteBook, so readers keep the map interface they had while the reducer works on
 * interned ids. Iteration order is the order in which ids were assigned; compare sorted (the
 * snapshot does).
 */
class MapView<K, V> implements ReadonlyMap<K, V> {
  constructor(
    private readonly lookup: (key: K) => V | undefined,
    private readonly list: () => Generator<[K, V]>,
    private readonly count: () => number,
  ) {}

  get(key: K): V | undefined {
    return this.lookup(key);
  }

  has(key: K): boolean {
    return this.lookup(key) !== undefined;
  }

  get size(): number {
    return this.count();
  }

  entries(): MapIterator<[K, V]> {
    return this.list();
  }

  *keys(): MapIterator<K> {
    for (const [key] of this.list()) yield key;
  }

  *values(): MapIterator<V> {
    for (const [, value] of this.list()) yield value;
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.list()) callback.call(thisArg, value, key, this);
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.list();
  }
}

function countOf(list: () => Generator<unknown>): () => number {
  return () => {
    let n = 0;
    for (const _ of list()) n++;
    return n;
  };
}

/** candidate → live weighted votes; only candidates with a non-zero tally (Active ones) are present. O(C) size. */
export function tallyView(book: VoteBook): ReadonlyMap<Address, bigint> {
  function* list(): Generator<[Address, bigint]> {
    for (let id = 0; id < book.candidateCount(); id++) {
      const votes = book.tally(id);
      if (votes !== 0n) yield [book.candidateAddress(id), votes];
    }
  }
  const lookup = (candidate: Address): bigint | undefined => {
    const id = book.candidateId(candidate);
    const votes = id === undefined ? 0n : book.tally(id);
    return votes === 0n ? undefined : votes;
  };
  return new MapView(lookup, list, countOf(list));
}

/** account → voting power; zero powers are absent. */
export function powerView(book: VoteBook): ReadonlyMap<Address, bigint> {
  function* list(): Generator<[Address, bigint]> {
    for (let id = 0; id < book.voterCount(); id++) {
      const power = book.power(id);
      if (power !== 0n) yield [book.voterAddress(id), power];
    }
  }
  const lookup = (account: Address): bigint | undefined => {
    const id = book.voterId(account);
    const power = id === undefined ? 0n : book.power(id);
    return power === 0n ? undefined : power;
  };
  return new MapView(lookup, list, () => book.poweredCount());
}

// Reads the voter's ballot afresh on each call: a view taken earlier follows later votes.
function ballotView(book: VoteBook, voter: number): ReadonlyMap<Address, number> {
  function* list(): Generator<[Address, number]> {
    for (const [candidate, registration] of book.ballot(voter)) yield [book.candidateAddress(candidate), registration];
  }
  const lookup = (candidate: Address): number | undefined => {
    const id = book.candidateId(candidate);
    return id === undefined ? undefined : book.approval(voter, id);
  };
  return new MapView(lookup, list, () => book.approvalCount(voter));
}

/** voter → (candidate → the registration approved, live or dead); voters without approvals are absent. */
export function approvalsView(book: VoteBook): ReadonlyMap<Address, ReadonlyMap<Address, number>> {
  const ballotOf = (id: number): ReadonlyMap<Address, number> | undefined =>
    book.approvalCount(id) === 0 ? undefined : ballotView(book, id);
  function* list(): Generator<[Address, ReadonlyMap<Address, number>]> {
    for (let id = 0; id < book.voterCount(); id++) {
      const ballot = ballotOf(id);
      if (ballot !== undefined) yield [book.voterAddress(id), ballot];
    }
  }
  const lookup = (voter: Address): ReadonlyMap<Address, number> | undefined => {
    const id = book.voterId(voter);
    return id === undefined ? undefined : ballotOf(id);
  };
  return new MapView(lookup, list, () => book.votingCount());
}
