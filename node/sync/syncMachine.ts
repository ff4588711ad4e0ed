import type { FinalizedBlock } from "../chain/types";

/** Budgets and clocks of the catch-up path (docs/node.md, "Catching up"). Units last in the names. */
export interface SyncSettings {
  /** How often each usable peer is asked its finalized height. */
  readonly statusIntervalMs: number;
  /** A block request not answered by then counts as not served. */
  readonly requestTimeoutMs: number;
  /**
   * A request unanswered this long no longer holds its range: another peer may be asked for it too
   * (the first answer wins). A silent liar then delays the head by this, not by the timeout.
   */
  readonly hedgeAfterMs: number;
  /** Bytes asked for per request: the server returns the longest prefix of the range within them. */
  readonly batchBytes: number;
  /** Heights per request: bounds the range even when blocks are tiny. */
  readonly maxBlocksPerRequest: number;
  /** A response longer than this is an attack, whatever was asked for. */
  readonly maxResponseBytes: number;
  /** Received-but-not-imported plus requested bytes never exceed this: bounds memory and parallelism. */
  readonly maxBufferBytes: number;
  readonly maxInflightPerPeer: number;
  /** A penalised peer is not asked for this long, doubled per unforgiven strike up to maxBackoffMs. */
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  /** A block our L1 view cannot check yet (anchor not confirmed) is retried after this. */
  readonly deferRetryMs: number;
}

/** What a peer did wrong. Each costs it a strike here and a score penalty in the P2P layer. */
export type SyncFault =
  /** Claimed a height, then answered a request within that claim with nothing or an error. */
  | "not-served"
  | "timeout"
  /** Blocks other than the heights asked for, or a height that is not a safe integer. */
  | "garbage"
  /** A block that failed verification (PoW, proposer, certificate, events, transactions). */
  | "invalid-block"
  | "oversize";

/** What the machine asks its shell (node process or simulator) to do. */
export type SyncEffect =
  | { readonly type: "requestStatus"; readonly peer: string }
  | {
      readonly type: "requestBlocks";
      readonly peer: string;
      readonly id: number;
      readonly from: number;
      readonly to: number;
      readonly maxBytes: number;
    }
  /** Verify and apply this block (its height is head + 1); answer with onImported. */
  | { readonly type: "import"; readonly peer: string; readonly finalized: FinalizedBlock }
  | { readonly type: "penalise"; readonly peer: string; readonly fault: SyncFault; readonly reason: string };

/** The core's verdict on an imported block. "deferred": not the peer's fault, retry later. */
export type ImportVerdict = "applied" | "invalid" | "deferred";

/** A block response as the shell received it: the decoded blocks and the encoded size, or a failure. */
export type BlocksResponse =
  | { readonly blocks: readonly FinalizedBlock[]; readonly bytes: number }
  /** The request failed: an error answer, a refusal or a dropped connection. */
  | { readonly error: string }
  /** The answer could not be decoded (not JSON, a bad block encoding, over the byte limit). */
  | { readonly malformed: string; readonly bytes: number };

interface PeerRecord {
  /** Its last claimed finalized height; reset to 0 when a request within the claim fails. */
  claim: number;
  inflight: number;
  strikes: number;
  excludedUntilMs: number;
  nextStatusAtMs: number;
}

interface Request {
  readonly peer: string;
  readonly from: number;
  readonly to: number;
  readonly maxBytes: number;
  readonly hedgeAtMs: number;
  readonly deadlineMs: number;
}

interface Buffered {
  readonly finalized: FinalizedBlock;
  readonly peer: string;
  readonly bytes: number;
}

/** Heights scanned for a gap per scheduling pass: bounds the work of one input. */
const MAX_LOOKAHEAD_BLOCKS = 4096;

/**
 * The catch-up path as a pure state machine (after Lodestar's range sync, without its epochs):
 * inputs are peers' claimed heights, block responses, import verdicts and the time; outputs are
 * requests, blocks to import in order, and penalties. No I/O and no clock of its own, so the node
 * (node/validator/syncer.ts) and the simulator drive this same code.
 *
 * No claim is believed until it is served: a peer is only asked for heights at or below its claim,
 * so an honest peer always returns at least one block. One that returns nothing, errs, times out,
 * returns other heights or more bytes than allowed, or serves a block that fails verification is
 * penalised, its claim forgotten, and it is not asked again for a backoff that doubles per strike;
 * the gap goes to another peer. A liar claiming 2^53 or head + 1 costs at most one request timeout,
 * in parallel with the honest peers' batches. Batches are sized in bytes, and received plus
 * requested bytes are bounded, so large blocks cannot push a response over the frame limit.
 */
export class SyncMachine {
  private readonly peers = new Map<string, PeerRecord>();
  private readonly requests = new Map<number, Request>();
  private readonly buffer = new Map<number, Buffered>();
  private bufferedBytes = 0;
  private nextId = 1;
  /** The height handed out for import and not yet answered (one at a time, in order). */
  private importing: number | null = null;
  private importBlockedUntilMs = 0;
  /** Rotates the choice among equally loaded peers, so batches spread over all of them. */
  private turn = 0;

  constructor(
    private readonly settings: SyncSettings,
    private head: number,
  ) {}

  addPeer(peer: string, nowMs: number): SyncEffect[] {
    if (!this.peers.has(peer))
      this.peers.set(peer, { claim: 0, inflight: 0, strikes: 0, excludedUntilMs: 0, nextStatusAtMs: nowMs });
    return this.tick(nowMs);
  }

  /** A disconnect is no fault: its requests are forgotten and their heights asked elsewhere. */
  removePeer(peer: string, nowMs: number): SyncEffect[] {
    this.peers.delete(peer);
    for (const [id, r] of this.requests) if (r.peer === peer) this.requests.delete(id);
    return this.schedule(nowMs);
  }

  /** A peer's claimed finalized height (its answer to requestStatus). */
  onStatus(peer: string, height: unknown, nowMs: number): SyncEffect[] {
    const record = this.peers.get(peer);
    if (record === undefined) return [];
    if (typeof height !== "number" || !Number.isSafeInteger(height) || height < 0) {
      return [...this.fault(peer, "garbage", `status height ${String(height)}`, nowMs), ...this.schedule(nowMs)];
    }
    record.claim = height;
    return this.schedule(nowMs);
  }

  onBlocks(peer: string, id: number, response: BlocksResponse, nowMs: number): SyncEffect[] {
    const request = this.requests.get(id);
    // Unknown: answered after its timeout (already penalised) or after a disconnect.
    if (request === undefined || request.peer !== peer) return [];
    this.requests.delete(id);
    const record = this.peers.get(peer);
    if (record !== undefined) record.inflight--;
    const refusal = this.refusalOf(request, response);
    if (refusal !== null) return [...this.fault(peer, refusal.fault, refusal.reason, nowMs), ...this.schedule(nowMs)];
    const { blocks, bytes } = response as Extract<BlocksResponse, { blocks: unknown }>;
    const perBlock = Math.ceil(bytes / blocks.length);
    for (const finalized of blocks) {
      const height = finalized.block.header.height;
      if (height <= this.head || this.buffer.has(height)) continue;
      this.buffer.set(height, { finalized, peer, bytes: perBlock });
      this.bufferedBytes += perBlock;
    }
    if (record !== undefined) record.strikes = Math.max(0, record.strikes - 1);
    return this.schedule(nowMs);
  }

  /** Why a response is refused, or null. Every check is on data the peer chose. */
  private refusalOf(request: Request, response: BlocksResponse): { fault: SyncFault; reason: string } | null {
    if ("error" in response) return { fault: "not-served", reason: `error for ${rangeOf(request)}: ${response.error}` };
    if ("malformed" in response) {
      const oversize = response.bytes > this.settings.maxResponseBytes;
      return { fault: oversize ? "oversize" : "garbage", reason: `undecodable answer: ${response.malformed}` };
    }
    const { blocks, bytes } = response;
    if (bytes > this.settings.maxResponseBytes)
      return { fault: "oversize", reason: `${bytes} bytes > limit ${this.settings.maxResponseBytes}` };
    if (blocks.length > 1 && bytes > request.maxBytes)
      return { fault: "oversize", reason: `${blocks.length} blocks in ${bytes} bytes > asked ${request.maxBytes}` };
    if (blocks.length === 0) return { fault: "not-served", reason: `no block of claimed ${rangeOf(request)}` };
    for (let i = 0; i < blocks.length; i++) {
      const height = blocks[i].block.header.height;
      if (height !== request.from + i || height > request.to)
        return { fault: "garbage", reason: `block ${i} has height ${height}, asked ${rangeOf(request)}` };
    }
    return null;
  }

  /** The core's verdict on the block last handed out by an "import" effect. */
  onImported(height: number, verdict: ImportVerdict, reason: string, nowMs: number): SyncEffect[] {
    if (this.importing !== height) return [];
    this.importing = null;
    const entry = this.buffer.get(height);
    const effects: SyncEffect[] = [];
    if (verdict === "applied") {
      this.setHead(Math.max(this.head, height));
    } else if (verdict === "deferred") {
      this.importBlockedUntilMs = nowMs + this.settings.deferRetryMs;
    } else if (entry !== undefined) {
      effects.push(...this.fault(entry.peer, "invalid-block", `block ${height}: ${reason}`, nowMs));
      this.dropBlocksOf(entry.peer);
    }
    return [...effects, ...this.schedule(nowMs)];
  }

  /** The local head moved by consensus or gossip: blocks at or below it are no longer needed. */
  onHead(height: number, nowMs: number): SyncEffect[] {
    if (height <= this.head) return [];
    this.setHead(height);
    return this.schedule(nowMs);
  }

  /** Expires requests, asks peers their height when due, and hands out work. */
  tick(nowMs: number): SyncEffect[] {
    const effects: SyncEffect[] = [];
    for (const [id, r] of this.requests) {
      if (r.deadlineMs > nowMs) continue;
      this.requests.delete(id);
      const record = this.peers.get(r.peer);
      if (record !== undefined) record.inflight--;
      effects.push(...this.fault(r.peer, "timeout", `no answer for ${rangeOf(r)} in time`, nowMs));
    }
    for (const [peer, record] of this.peers) {
      if (record.nextStatusAtMs > nowMs || record.excludedUntilMs > nowMs) continue;
      record.nextStatusAtMs = nowMs + this.settings.statusIntervalMs;
      effects.push({ type: "requestStatus", peer });
    }
    return [...effects, ...this.schedule(nowMs)];
  }

  private setHead(height: number): void {
    this.head = height;
    for (const [h, entry] of this.buffer) {
      if (h > height) continue;
      this.buffer.delete(h);
      this.bufferedBytes -= entry.bytes;
    }
  }

  private fault(peer: string, fault: SyncFault, reason: string, nowMs: number): SyncEffect[] {
    const record = this.peers.get(peer);
    if (record !== undefined) {
      record.strikes++;
      record.claim = 0;
      const backoff = Math.min(this.settings.maxBackoffMs, this.settings.backoffMs * 2 ** (record.strikes - 1));
      record.excludedUntilMs = nowMs + backoff;
      record.nextStatusAtMs = record.excludedUntilMs;
    }
    return [{ type: "penalise", peer, fault, reason }];
  }

  /** A peer that served one invalid block: none of what it sent is worth importing. */
  private dropBlocksOf(peer: string): void {
    for (const [h, entry] of this.buffer) {
      if (entry.peer !== peer) continue;
      this.buffer.delete(h);
      this.bufferedBytes -= entry.bytes;
    }
  }

  private schedule(nowMs: number): SyncEffect[] {
    const effects: SyncEffect[] = [];
    this.handOutImport(nowMs, effects);
    // Over budget, the next block to import is still asked for: blocks buffered beyond a gap must
    // not keep the gap from being filled.
    while (this.withinBudget() || !this.covered(this.head + 1, nowMs)) {
      const request = this.nextRequest(nowMs);
      if (request === null) break;
      effects.push(request);
    }
    return effects;
  }

  private handOutImport(nowMs: number, effects: SyncEffect[]): void {
    if (this.importing !== null || nowMs < this.importBlockedUntilMs) return;
    const next = this.buffer.get(this.head + 1);
    if (next === undefined) return;
    this.importing = this.head + 1;
    effects.push({ type: "import", peer: next.peer, finalized: next.finalized });
  }

  private withinBudget(): boolean {
    return this.bufferedBytes + this.reservedBytes() + this.settings.batchBytes <= this.settings.maxBufferBytes;
  }

  private reservedBytes(): number {
    let sum = 0;
    for (const r of this.requests.values()) sum += r.maxBytes;
    return sum;
  }

  /** The lowest height nobody holds or was asked for, from the least loaded peer that claims it. */
  private nextRequest(nowMs: number): Extract<SyncEffect, { type: "requestBlocks" }> | null {
    const from = this.firstGap(nowMs);
    if (from === null) return null;
    const peer = this.pickPeer(from, nowMs);
    if (peer === null) return null;
    const record = this.peers.get(peer)!;
    const to = Math.min(
      from + this.settings.maxBlocksPerRequest - 1,
      record.claim,
      this.nextCovered(from, from + this.settings.maxBlocksPerRequest, nowMs) - 1,
    );
    const id = this.nextId++;
    const maxBytes = this.settings.batchBytes;
    const hedgeAtMs = nowMs + this.settings.hedgeAfterMs;
    this.requests.set(id, { peer, from, to, maxBytes, hedgeAtMs, deadlineMs: nowMs + this.settings.requestTimeoutMs });
    record.inflight++;
    return { type: "requestBlocks", peer, id, from, to, maxBytes };
  }

  private firstGap(nowMs: number): number | null {
    const top = Math.min(this.bestUsableClaim(), this.head + MAX_LOOKAHEAD_BLOCKS);
    for (let h = this.head + 1; h <= top; h++) if (!this.covered(h, nowMs)) return h;
    return null;
  }

  private bestUsableClaim(): number {
    let best = 0;
    for (const p of this.peers.values()) best = Math.max(best, p.claim);
    return best;
  }

  private covered(height: number, nowMs: number): boolean {
    if (this.buffer.has(height)) return true;
    for (const r of this.requests.values()) if (r.from <= height && height <= r.to && r.hedgeAtMs > nowMs) return true;
    return false;
  }

  /** The first covered height in (from, limit], or limit + 1. */
  private nextCovered(from: number, limit: number, nowMs: number): number {
    for (let h = from + 1; h <= limit; h++) if (this.covered(h, nowMs)) return h;
    return limit + 1;
  }

  private pickPeer(height: number, nowMs: number): string | null {
    const usable = [...this.peers].filter(
      ([, p]) => p.claim >= height && p.excludedUntilMs <= nowMs && p.inflight < this.settings.maxInflightPerPeer,
    );
    if (usable.length === 0) return null;
    const least = Math.min(...usable.map(([, p]) => p.inflight));
    const candidates = usable.filter(([, p]) => p.inflight === least);
    return candidates[this.turn++ % candidates.length][0];
  }
}

function rangeOf(r: { from: number; to: number }): string {
  return `heights ${r.from}..${r.to}`;
}
