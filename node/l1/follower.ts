import type { Logger } from "../log";
import { L1Store, type StoredL1Header } from "../store/l1Store";
import type { StoreIdentity } from "../store/repositories/meta";
import type { RegistryEvent } from "../registry/events";
import type { L1BlockRef, L1Header } from "../types/l1";
import { ConfirmedState } from "./confirmedState";
import { L1Error, L1ErrorCode } from "./errors";
import { fetchRange, type FetchedRange } from "./fetchRange";
import { fetchHeaders } from "./headers";
import { checkL2ChainBinding } from "./l2ChainBinding";
import type { LogDecoder } from "./logDecoder";
import { parseQuantity } from "./rawTypes";
import { RangeSize } from "./rangeSize";
import { findCommonAncestor } from "./reorg";
import type { RpcTransport } from "./rpc";

export interface FollowerOptions {
  readonly rpc: RpcTransport;
  readonly store: L1Store;
  readonly decoder: LogDecoder;
  /** The registries' deployment: chain id, addresses, and the block that created them. */
  readonly deployment: StoreIdentity;
  /**
   * The L2 chain id the CandidateRegistry must be bound to on L1 (its l2ChainId()); checked with the L1
   * chain id before the first step. Left out by readers that do not run a chain (tests, benchmarks).
   */
  readonly l2ChainId?: number;
  readonly confirmations: number;
  readonly maxBlockRange: number;
  /** The events one range should carry at most (RangeSize.TARGET_EVENTS by default; tests set fewer). */
  readonly rangeTargetEvents?: number;
  readonly pollIntervalMs: number;
  readonly logger: Logger;
  /** Retry delays: the first, doubled per failure up to the max. */
  readonly backoffMs?: { readonly initial: number; readonly max: number };
  /**
   * After this long without a new L1 block, say once (at info) that the newest `confirmations`
   * blocks' events wait for blocks that are not coming (default 30 s).
   */
  readonly stalledHeadNoticeMs?: number;
  /** The clock for that notice; injected so tests control time. */
  readonly nowMs?: () => number;
  /** Injected so tests control time; resolves early (without throwing) when `signal` aborts. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** Ranges read ahead of the one being written (readAhead). */
const READ_AHEAD = 3;

/** What one step did. */
export type StepResult = "advanced" | "rewound" | "caught-up";

/**
 * Follows the registries' events into the store (Lodestar eth1DepositDataTracker style). It
 * ingests up to the L1 head; the prefix with `confirmations` blocks on top is *confirmed*, and
 * only that prefix is read by consumers (`confirmed`, `eventsInRange`). A reorg above the
 * confirmed head is rewound and replayed; one that reaches it halts the follower (DEEP_REORG).
 */
export class L1Follower {
  readonly confirmed = new ConfirmedState();
  private cursor: L1BlockRef | undefined;
  private readonly range: RangeSize;
  private lastHead = 0;
  private chainChecked = false;
  /** The ranges after the one being written, read meanwhile (readAhead), in order; taken by the next steps. */
  private ahead: { readonly from: number; readonly to: number; readonly result: Promise<FetchedRange> }[] = [];
  private headSeen: { number: number; sinceMs: number; noticed: boolean } | undefined;
  eventsIngested = 0;
  /**
   * Settles once `run` has checked the stored history against L1 — its first step that did not fail
   * (the cursor's block is canonical, so is every block below it, or a shallow reorg was rewound) —
   * and rejects if `run` halts first (a deep reorg found at start). Until then the stored confirmed
   * head may be on a fork L1 abandoned while the node was down: a consumer that must not build on
   * it waits for this.
   */
  readonly checked: Promise<void>;
  private settleChecked: { resolve(): void; reject(err: Error): void } | undefined;

  constructor(private readonly opts: FollowerOptions) {
    this.range = new RangeSize(opts.maxBlockRange, opts.rangeTargetEvents);
    this.checked = new Promise<void>((resolve, reject) => (this.settleChecked = { resolve, reject }));
    this.checked.catch(() => undefined);
  }

  /** The last block whose events are all stored, and the last L1 head seen. */
  get progress(): { cursor: L1BlockRef | undefined; head: number; confirmed: L1Header | undefined } {
    return { cursor: this.cursor, head: this.lastHead, confirmed: this.confirmed.head };
  }

  /**
   * Runs until `signal` aborts (resolves) or a fatal L1Error (rejects); retryable errors are
   * logged and retried with backoff. With `untilCaughtUp`, it also returns once it has seen the head.
   */
  async run(signal: AbortSignal, { untilCaughtUp = false } = {}): Promise<void> {
    const sleep = this.opts.sleep ?? abortableSleep;
    const backoff = this.opts.backoffMs ?? { initial: 250, max: 30_000 };
    let failures = 0;
    while (!signal.aborted) {
      try {
        const result = await this.step();
        this.settleChecked?.resolve();
        if (failures > 0) this.opts.logger.info({ failures }, "L1 RPC recovered");
        failures = 0;
        if (result === "caught-up" && untilCaughtUp) return;
        if (result === "caught-up") await sleep(this.opts.pollIntervalMs, signal);
      } catch (err) {
        if (signal.aborted) return;
        if (!(err instanceof L1Error) || !err.retryable) {
          this.settleChecked?.reject(err as Error);
          throw err;
        }
        failures++;
        const delayMs = Math.min(backoff.max, backoff.initial * 2 ** Math.min(failures - 1, 20));
        this.onRetryable(err, failures, delayMs);
        await sleep(delayMs, signal);
      }
    }
  }

  /** One unit of work: check the chain, then ingest one range, rewind a reorg, or find nothing new. */
  async step(): Promise<StepResult> {
    if (!this.chainChecked) await this.checkChainId();
    await this.load();
    const cursor = this.cursor as L1BlockRef;
    const from = cursor.number + 1;
    // A range read ahead needs no new head: the head it was read under is still ahead of it.
    const next = this.takeReadAhead(from);
    const head = next === undefined ? await this.fetchHead() : this.lastHead;
    if (head <= cursor.number) {
      // Nothing new, or the chain got shorter: is the cursor block still canonical?
      const current = (await fetchHeaders(this.opts.rpc, [cursor.number])).get(cursor.number);
      if (current?.hash === cursor.hash) return "caught-up";
      return this.rewind();
    }
    const to = next?.to ?? Math.min(head, cursor.number + this.range.blocks);
    let fetched: FetchedRange;
    try {
      fetched = await (next?.result ?? fetchRange(this.opts.rpc, this.opts.decoder, from, to));
    } catch (err) {
      if (err instanceof L1Error && err.type.code !== L1ErrorCode.RANGE_CHANGED) this.range.shrink();
      throw err;
    }
    this.range.succeeded(to - from + 1, fetched.events.length);
    if (fetched.fromHeader.parentHash !== cursor.hash) return this.rewind();
    // Only once this range was answered: no more requests of a size the endpoint may refuse.
    this.readAhead(to, head);
    await this.commit(fetched);
    return "advanced";
  }

  private async fetchHead(): Promise<number> {
    const head = parseQuantity("eth_blockNumber", await this.opts.rpc.call("eth_blockNumber", []), "head");
    this.lastHead = head;
    this.noticeStalledHead(head);
    return head;
  }

  /**
   * A catch-up spans many ranges: up to READ_AHEAD ranges after `to` are read while this one is
   * written, so the L1 endpoint always has a request to answer and this process a
   * response to check. Each is held to fetchRange's own checks, and to the parent-hash link with the range
   * before it when a step takes it (a reorg meanwhile is rewound as any other). At most
   * READ_AHEAD × the range's target events are held.
   */
  private readAhead(to: number, head: number): void {
    let last = this.ahead.at(-1)?.to ?? to;
    while (this.ahead.length < READ_AHEAD && last < head) {
      const from = last + 1;
      last = Math.min(head, last + this.range.blocks);
      const range = { from, to: last };
      const result = fetchRange(this.opts.rpc, this.opts.decoder, from, last);
      result.then(
        (fetched) => this.opts.logger.debug({ ...range, events: fetched.events.length }, "range read ahead"),
        // Rethrown to the step that takes it (and logged there); dropped if none does.
        (err: unknown) => this.opts.logger.debug({ ...range, code: codeOf(err) }, "range read ahead failed"),
      );
      this.ahead.push({ ...range, result });
    }
  }

  /** The range read ahead that starts at `from`, if any (else those read are stale: a rewind, a failure). */
  private takeReadAhead(from: number): { to: number; result: Promise<FetchedRange> } | undefined {
    const next = this.ahead.shift();
    if (next?.from === from) return next;
    this.ahead = [];
    return undefined;
  }

  /**
   * An L1 that mines only when a transaction arrives (Hardhat's automine) never puts blocks on top
   * of the last ones: with `confirmations` > 0, their registrations and votes silently never count.
   * Say so once per stall, at info: it is a setup problem, not an error.
   */
  private noticeStalledHead(head: number): void {
    const now = (this.opts.nowMs ?? Date.now)();
    if (this.headSeen === undefined || this.headSeen.number !== head) {
      this.headSeen = { number: head, sinceMs: now, noticed: false };
      return;
    }
    const stalledMs = now - this.headSeen.sinceMs;
    if (this.headSeen.noticed || this.opts.confirmations === 0) return;
    if (stalledMs < (this.opts.stalledHeadNoticeMs ?? 30_000)) return;
    this.headSeen.noticed = true;
    this.opts.logger.info(
      { head, stalledMs, confirmations: this.opts.confirmations, confirmedHead: this.confirmed.head?.number },
      `no new L1 block for ${Math.round(stalledMs / 1000)} s: events in the newest ${this.opts.confirmations} ` +
        "block(s) count only once that many blocks are on top. A local L1 that mines only on transactions " +
        "needs interval mining (REPCHAIN_L1_BLOCK_TIME_MS=1000 npx hardhat node), or confirmations 0",
    );
  }

  /** The stored events of confirmed blocks fromExclusive < n <= toInclusive, in L1 order. */
  async eventsInRange(fromExclusive: number, toInclusive: number): Promise<RegistryEvent[]> {
    const head = this.confirmed.head;
    if (head === undefined || toInclusive > head.number) {
      throw new RangeError(`block ${toInclusive} is not confirmed (confirmed head ${head?.number ?? "none"})`);
    }
    return this.opts.store.events.inBlockRange(fromExclusive, toInclusive);
  }

  private async checkChainId(): Promise<void> {
    const actual = parseQuantity("eth_chainId", await this.opts.rpc.call("eth_chainId", []), "chainId");
    const expected = this.opts.deployment.chainId;
    if (actual !== expected) throw new L1Error({ code: L1ErrorCode.WRONG_CHAIN, expected, actual });
    if (this.opts.l2ChainId !== undefined) {
      await checkL2ChainBinding(this.opts.rpc, this.opts.deployment.candidateRegistry, this.opts.l2ChainId);
    }
    this.chainChecked = true;
  }

  /**
   * Loads the cursor and the confirmed state (once), bootstrapping an empty store at the
   * deployment block. `step` calls it; readers of a store that is not being followed call it.
   */
  async load(): Promise<void> {
    if (this.cursor !== undefined) return;
    const { store, deployment } = this.opts;
    await store.ensureIdentity(deployment);
    let cursor = await store.cursor.get();
    if (cursor === undefined) cursor = await this.bootstrap();
    const head = await store.confirmedHead();
    if (head !== undefined) this.confirmed.advance(head, await store.events.inBlockRange(-1, head.number));
    this.cursor = cursor;
  }

  /**
   * An empty store starts just before the first block of the history it reads (the registries' or,
   * when older, the voting token's deployment), after checking that the registries' deployment
   * block is on this chain.
   */
  private async bootstrap(): Promise<L1BlockRef> {
    const { deploymentBlock, deploymentBlockHash, votingTokenDeploymentBlock } = this.opts.deployment;
    const start = Math.min(deploymentBlock, votingTokenDeploymentBlock);
    const headers = await fetchHeaders(this.opts.rpc, [...new Set([start - 1, start, deploymentBlock])]);
    const block = headers.get(deploymentBlock);
    const first = headers.get(start);
    const parent = headers.get(start - 1);
    if (
      !block ||
      block.hash !== deploymentBlockHash.toLowerCase() ||
      !first ||
      !parent ||
      parent.hash !== first.parentHash
    ) {
      throw new L1Error({
        code: L1ErrorCode.DEPLOYMENT_NOT_FOUND,
        blockNumber: deploymentBlock,
        expectedHash: deploymentBlockHash,
        actualHash: block?.hash ?? null,
      });
    }
    const cursor = { number: parent.number, hash: parent.hash };
    await this.opts.store.advance({ events: [], headers: [{ ...parent, eventCount: 0 }], cursor, pruneHeaders: [] });
    this.opts.logger.info({ deploymentBlock, historyStart: start }, "L1 follower bootstrapped at the history start");
    return cursor;
  }

  private onRetryable(err: L1Error, failures: number, delayMs: number): void {
    const code = err.type.code;
    if (code === L1ErrorCode.RPC_UNREACHABLE || code === L1ErrorCode.RPC_TIMEOUT) this.chainChecked = false;
    const level = code === L1ErrorCode.RANGE_CHANGED ? "info" : "warn";
    this.opts.logger[level]({ code, failures, retryInMs: delayMs, rangeBlocks: this.range.blocks }, err.message);
  }

  /** Writes one fetched range (and what it confirms) in one batch, then moves the confirmed state. */
  private async commit(fetched: FetchedRange): Promise<void> {
    const { store, confirmations } = this.opts;
    const counts = new Map<number, number>();
    for (const e of fetched.events) counts.set(e.blockNumber, (counts.get(e.blockNumber) ?? 0) + 1);
    const headers: StoredL1Header[] = [...fetched.eventHeaders.values()].map((h) => ({
      ...h,
      eventCount: counts.get(h.number) ?? 0,
    }));
    if (!counts.has(fetched.toHeader.number)) headers.push({ ...fetched.toHeader, eventCount: 0 });

    const oldCursor = this.cursor as L1BlockRef;
    const cursor = { number: fetched.toHeader.number, hash: fetched.toHeader.hash };
    const limit = cursor.number - confirmations;
    const { newHead, prune } = await this.confirmedPlan(headers, limit);
    const confirmed = newHead === undefined ? undefined : { number: newHead.number, hash: newHead.hash };
    await store.advance({ events: fetched.events, headers, cursor, pruneHeaders: prune, confirmed });
    this.opts.logger.debug(
      { from: oldCursor.number + 1, to: cursor.number, events: fetched.events.length },
      "range committed",
    );
    this.cursor = cursor;
    this.eventsIngested += fetched.events.length;
    if (newHead !== undefined) await this.confirmUpTo(newHead, oldCursor, fetched.events);
  }

  /**
   * The new confirmed head (highest kept header <= limit) after this commit, and the headers it
   * makes useless: below it, confirmed, without events. Scans only from the old confirmed head.
   */
  private async confirmedPlan(fresh: StoredL1Header[], limit: number) {
    const old = this.confirmed.head;
    if (limit < 0 || (old !== undefined && limit <= old.number)) return { newHead: undefined, prune: [] as number[] };
    const stored = await this.opts.store.headers.range(old === undefined ? undefined : old.number - 1, limit);
    const candidates = [...stored, ...fresh.filter((h) => h.number <= limit)];
    let newHead: StoredL1Header | undefined;
    for (const h of candidates) if (newHead === undefined || h.number > newHead.number) newHead = h;
    if (newHead === undefined || (old !== undefined && newHead.number === old.number))
      return { newHead: undefined, prune: [] };
    const prune = candidates.filter((h) => h.number < (newHead as StoredL1Header).number && h.eventCount === 0);
    return { newHead, prune: prune.map((h) => h.number) };
  }

  /** Applies the newly confirmed events: this range's from memory, earlier ranges' from the store. */
  private async confirmUpTo(head: StoredL1Header, rangeStart: L1BlockRef, fresh: RegistryEvent[]): Promise<void> {
    const from = this.confirmed.head?.number ?? -1;
    // Events up to the range's start were stored by earlier commits; those after it are `fresh`.
    const storedTo = Math.min(rangeStart.number, head.number);
    const stored = from >= storedTo ? [] : await this.opts.store.events.inBlockRange(from, storedTo);
    this.confirmed.advance(head, [...stored, ...fresh.filter((e) => e.blockNumber <= head.number)]);
  }

  /** Rewinds the store to the common ancestor of the stored and the canonical history. */
  private async rewind(): Promise<StepResult> {
    const { store } = this.opts;
    const cursor = this.cursor as L1BlockRef;
    const floor = this.confirmed.head;
    const window = await store.headers.range(floor === undefined ? undefined : floor.number - 1, cursor.number, true);
    this.ahead = [];
    const ancestor = await findCommonAncestor(this.opts.rpc, window, floor === undefined);
    await store.rewind(ancestor);
    this.cursor = ancestor;
    this.opts.logger.warn(
      { from: cursor.number, to: ancestor.number, depth: cursor.number - ancestor.number },
      "L1 reorg: rewound to the common ancestor",
    );
    return "rewound";
  }
}

function codeOf(err: unknown): string {
  return err instanceof L1Error ? err.type.code : String(err);
}

/** setTimeout as a promise that resolves early when `signal` aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
