import { ZERO_HASH } from "../chain/bytes";
import type { RegistryEventSource, L1BlockRef } from "../chain/registryPorts";
import { fetchHeaders } from "../l1/headers";
import type { L1Follower } from "../l1/follower";
import type { RpcTransport } from "../l1/rpc";
import type { RegistryEvent } from "../registry/events";
import type { L1Header } from "../types/l1";

/** Anchors fetched on demand, at most this many per call (one JSON-RPC batch). */
const MAX_REFS_PER_FETCH = 64;

function toRef(header: Pick<L1Header, "number" | "hash" | "timestamp">): L1BlockRef {
  return { number: header.number, hash: header.hash, timestamp: BigInt(header.timestamp) };
}

/**
 * The chain's RegistryEventSource over this node's own L1 follower. Block verification is synchronous,
 * the follower's store is not: this keeps the confirmed events and the refs of the blocks the chain
 * anchors to in memory, pulled forward by `refresh()` as the follower confirms blocks. A peer may
 * anchor to a confirmed block whose header the follower did not keep (no events in it): the driver
 * calls `ensureRefs` for a message's anchors before handing it to the core, which fetches those
 * headers from L1. Only confirmed blocks are ever answered for, and confirmed blocks are never
 * reorganised (the follower halts on a reorg that deep), so nothing here is ever undone.
 */
export class L1RegistryEventSource implements RegistryEventSource {
  private head: L1BlockRef;
  private readonly events: RegistryEvent[] = [];
  private readonly refs = new Map<number, L1BlockRef>();
  private refreshing: Promise<boolean> | null = null;

  constructor(
    private readonly follower: L1Follower,
    private readonly rpc: RpcTransport,
    deploymentBlock: number,
  ) {
    // Until the follower confirms a block, the head is the chain's genesis anchor (nothing to import).
    this.head = { number: deploymentBlock - 1, hash: ZERO_HASH, timestamp: 0n };
  }

  confirmedHead(): L1BlockRef {
    return this.head;
  }

  blockRef(number: number): L1BlockRef | null {
    if (number > this.head.number) return null;
    return this.refs.get(number) ?? null;
  }

  eventsBetween(fromExclusive: number, toInclusive: number): readonly RegistryEvent[] {
    const start = this.firstIndexAbove(fromExclusive);
    const end = this.firstIndexAbove(toInclusive);
    return this.events.slice(start, end);
  }

  /** How many confirmed events are held (for status and tests). */
  get eventCount(): number {
    return this.events.length;
  }

  /**
   * Pulls newly confirmed events and the new confirmed head from the follower. Calls never
   * overlap: two reads of the same range would append its events twice.
   */
  refresh(): Promise<boolean> {
    if (this.refreshing === null) this.refreshing = this.pull().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async pull(): Promise<boolean> {
    const confirmed = this.follower.confirmed.head;
    if (confirmed === undefined || confirmed.number <= this.head.number) return false;
    const fresh = await this.follower.eventsInRange(this.head.number, confirmed.number);
    this.events.push(...fresh);
    const ref = toRef(confirmed);
    this.refs.set(ref.number, ref);
    this.head = ref;
    return true;
  }

  /** Fetches the headers of confirmed `numbers` not held yet, so blockRef answers for them. */
  async ensureRefs(numbers: readonly number[]): Promise<void> {
    const missing = [...new Set(numbers)]
      .filter((n) => n >= 0 && n <= this.head.number && !this.refs.has(n))
      .slice(0, MAX_REFS_PER_FETCH);
    if (missing.length === 0) return;
    const headers = await fetchHeaders(this.rpc, missing);
    for (const [number, header] of headers) if (header !== null) this.refs.set(number, toRef(header));
  }

  /** Index of the first held event in an L1 block above `blockNumber` (binary search). */
  private firstIndexAbove(blockNumber: number): number {
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.events[mid].blockNumber <= blockNumber) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
