import { expect } from "chai";
import { createChainState } from "../../node/chain/chainState";
import { headerHash } from "../../node/chain/headerCodec";
import { RegistryGovernance } from "../../node/chain/registryView";
import type { FinalizedBlock } from "../../node/chain/types";
import { ValidatorCore } from "../../node/consensus/validator";
import { batchWithinBytes } from "../../node/consensus/messageCodec";
import { SyncMachine, type BlocksResponse, type SyncEffect, type SyncSettings } from "../../node/sync/syncMachine";
import { fixture, honestBlock, type Fixture } from "../../node/testing/chainFixture";
import { certifiedChain } from "../../node/testing/certifiedChain";

const SETTINGS: SyncSettings = {
  statusIntervalMs: 500,
  requestTimeoutMs: 1000,
  hedgeAfterMs: 300,
  batchBytes: 64 * 1024,
  maxBlocksPerRequest: 16,
  maxResponseBytes: 1024 * 1024,
  maxBufferBytes: 512 * 1024,
  maxInflightPerPeer: 2,
  backoffMs: 2000,
  maxBackoffMs: 30_000,
  deferRetryMs: 200,
};
const LATENCY_MS = 20;
const TICK_MS = 100;

type BlockRequest = Extract<SyncEffect, { type: "requestBlocks" }>;
/** How a scripted peer answers: `undefined` from serve means it never answers. */
interface PeerScript {
  status(): unknown;
  serve(request: BlockRequest): BlocksResponse | undefined;
}

function honest(chain: () => readonly FinalizedBlock[]): PeerScript {
  return {
    status: () => chain().length,
    serve: (r) => {
      const batch = batchWithinBytes(chain().slice(r.from - 1, r.to), r.maxBytes);
      return { blocks: batch.blocks, bytes: batch.data.length };
    },
  };
}

/**
 * One syncing node on a scripted network: the machine under test, a real ValidatorCore (no key)
 * that verifies and applies every imported block exactly as the node's does, simulated time, and
 * replies delayed by LATENCY_MS so several requests are in flight at once.
 */
class Harness {
  readonly machine = new SyncMachine(SETTINGS, 0);
  readonly core: ValidatorCore;
  readonly penalties: Extract<SyncEffect, { type: "penalise" }>[] = [];
  readonly requests: BlockRequest[] = [];
  readonly servedBytes: number[] = [];
  maxInflight = 0;
  nowMs = 0;
  private inflight = 0;
  private pending: { at: number; run: () => SyncEffect[] }[] = [];

  constructor(
    f: Fixture,
    private readonly peers: Record<string, PeerScript>,
  ) {
    this.core = new ValidatorCore({
      config: f.config,
      state: createChainState(f.config, new RegistryGovernance()),
      source: f.l1,
      guard: null,
      timeouts: { proposeMs: 1000, prevoteMs: 500, precommitMs: 500, roundDeltaMs: 100 },
    });
    for (const peer of Object.keys(peers)) this.execute(this.machine.addPeer(peer, 0));
  }

  get height(): number {
    return this.core.state.height;
  }

  /** Runs simulated time until `done` or `limitMs`; returns the time it took. */
  runUntil(done: () => boolean, limitMs: number): number {
    const start = this.nowMs;
    let nextTick = this.nowMs;
    while (!done() && this.nowMs - start <= limitMs) {
      this.pending.sort((a, b) => a.at - b.at);
      const event = this.pending[0];
      if (event !== undefined && event.at <= nextTick) {
        this.pending.shift();
        this.nowMs = event.at;
        this.execute(event.run());
      } else {
        this.nowMs = nextTick;
        nextTick += TICK_MS;
        this.execute(this.machine.tick(this.nowMs));
      }
    }
    return this.nowMs - start;
  }

  private execute(effects: SyncEffect[]): void {
    const queue = [...effects];
    while (queue.length > 0) {
      const effect = queue.shift()!;
      if (effect.type === "requestStatus") {
        const status = this.peers[effect.peer].status();
        this.later(() => this.machine.onStatus(effect.peer, status, this.nowMs));
      } else if (effect.type === "requestBlocks") {
        this.requests.push(effect);
        this.inflight++;
        this.maxInflight = Math.max(this.maxInflight, this.inflight);
        const response = this.peers[effect.peer].serve(effect);
        if (response === undefined) continue;
        if ("bytes" in response) this.servedBytes.push(response.bytes);
        this.later(() => {
          this.inflight--;
          return this.machine.onBlocks(effect.peer, effect.id, response, this.nowMs);
        });
      } else if (effect.type === "import") {
        queue.push(...this.importBlock(effect.finalized));
      } else {
        this.penalties.push(effect);
      }
    }
  }

  /** Verifies through the core: applied, REJECTed (invalid), or anything else (deferred). */
  private importBlock(finalized: FinalizedBlock): SyncEffect[] {
    const height = finalized.block.header.height;
    const effects = this.core.onMessage({ type: "commit", finalized }, "sync", this.nowMs);
    const rejected = effects.find((e) => e.type === "invalid" && e.verdict === "reject");
    if (this.core.state.height >= height) return this.machine.onImported(height, "applied", "", this.nowMs);
    if (rejected?.type === "invalid") return this.machine.onImported(height, "invalid", rejected.reason, this.nowMs);
    return this.machine.onImported(height, "deferred", "not yet", this.nowMs);
  }

  private later(run: () => SyncEffect[]): void {
    this.pending.push({ at: this.nowMs + LATENCY_MS, run });
  }

  faultsOf(peer: string): string[] {
    return this.penalties.filter((p) => p.peer === peer).map((p) => p.fault);
  }
}

describe("SyncMachine (the one catch-up path)", function () {
  this.timeout(60_000);
  let f: Fixture;
  let chain: FinalizedBlock[];

  before(() => {
    f = fixture();
    chain = certifiedChain(f, 40, 3);
  });

  it("a fresh node syncs a certified chain from one honest peer, in byte-bounded batches", () => {
    const h = new Harness(f, { honest: honest(() => chain) });
    h.runUntil(() => h.height === chain.length, 10_000);
    expect(h.height).to.equal(chain.length);
    expect(h.penalties).to.deep.equal([]);
    expect(Math.max(...h.servedBytes)).to.be.at.most(SETTINGS.batchBytes);
  });

  it("byte-sized batches: large blocks come a few per response, never over the asked bytes", () => {
    const big = fixture();
    const bigChain = certifiedChain(big, 12, 60); // ≈ 60 × 0.2 KB of transactions per block
    const perBlock = batchWithinBytes(bigChain.slice(0, 1), 1e9).data.length;
    const settings = { ...SETTINGS, batchBytes: perBlock * 3 };
    const machine = new SyncMachine(settings, 0);
    machine.addPeer("p", 0);
    const request = machine
      .onStatus("p", bigChain.length, 0)
      .find((e): e is BlockRequest => e.type === "requestBlocks")!;
    expect(request.maxBytes).to.equal(perBlock * 3);
    const batch = batchWithinBytes(bigChain.slice(request.from - 1, request.to), request.maxBytes);
    expect(batch.blocks.length).to.be.within(2, 3);
    expect(batch.data.length).to.be.at.most(request.maxBytes);
    const effects = machine.onBlocks("p", request.id, { blocks: batch.blocks, bytes: batch.data.length }, 10);
    const next = effects.filter((e): e is BlockRequest => e.type === "requestBlocks");
    expect(next[0].from, "the rest of the range is asked again").to.equal(1 + batch.blocks.length);
  });

  it("asks several honest peers in parallel", () => {
    const h = new Harness(f, { a: honest(() => chain), b: honest(() => chain), c: honest(() => chain) });
    h.runUntil(() => h.height === chain.length, 10_000);
    expect(h.height).to.equal(chain.length);
    expect(new Set(h.requests.map((r) => r.peer)).size).to.be.at.least(2);
    expect(h.maxInflight).to.be.greaterThan(1);
  });

  it("a liar claiming 2^53 that serves nothing is penalised and the node syncs from the honest peer", () => {
    const liar: PeerScript = { status: () => 2 ** 53 - 1, serve: () => undefined };
    const h = new Harness(f, { liar, honest: honest(() => chain) });
    const took = h.runUntil(() => h.height === chain.length, 10_000);
    expect(h.height).to.equal(chain.length);
    // Hedged: the honest peer was asked for the liar's range before the liar's request timed out.
    expect(took).to.be.below(SETTINGS.requestTimeoutMs);
    h.runUntil(() => h.faultsOf("liar").length > 0, 10_000);
    expect(h.faultsOf("liar")).to.include("timeout");
    expect(h.faultsOf("honest")).to.deep.equal([]);
  });

  it("a height that is not a safe integer is garbage", () => {
    const h = new Harness(f, { liar: { status: () => 2 ** 53, serve: () => undefined }, honest: honest(() => chain) });
    h.runUntil(() => h.height === chain.length, 10_000);
    expect(h.faultsOf("liar")).to.include("garbage");
    expect(h.height).to.equal(chain.length);
  });

  it("a liar claiming head + 1 is caught each time it is asked, backs off, and the node follows the honest head", () => {
    let honestHeight = 20;
    const liar: PeerScript = { status: () => honestHeight + 1, serve: () => ({ blocks: [], bytes: 2 }) };
    const h = new Harness(f, { liar, honest: honest(() => chain.slice(0, honestHeight)) });
    h.runUntil(() => false, 20_000);
    expect(h.height).to.equal(20);
    const strikes = h.faultsOf("liar");
    expect(strikes[0]).to.equal("not-served");
    // Backoff doubles: 2 + 4 + 8 s ⇒ at most 4 strikes in 20 s (not one per status interval).
    expect(strikes.length).to.be.within(2, 4);
    honestHeight = 40;
    h.runUntil(() => h.height === 40, 10_000);
    expect(h.height).to.equal(40);
    expect(h.faultsOf("honest")).to.deep.equal([]);
  });

  it("a peer that serves invalid blocks (a forged certificate) is penalised and its blocks dropped", () => {
    const forged = chain.map((b) => ({ ...b, certificate: { ...b.certificate, signatures: [] } }));
    const bad: PeerScript = { status: () => chain.length, serve: honest(() => forged).serve };
    const h = new Harness(f, { bad, honest: honest(() => chain) });
    h.runUntil(() => h.height === chain.length, 10_000);
    expect(h.height).to.equal(chain.length);
    expect(h.faultsOf("bad")).to.include("invalid-block");
    expect(h.faultsOf("honest")).to.deep.equal([]);
  });

  it("a representative serving a block with an anchor this node has not seen and no certificate is penalised, not deferred forever", () => {
    // Deferral (retry later, no penalty) is for blocks our L1 view cannot check yet. Were the
    // anchor checked before the certificate, this block would hold height 1 deferred for good.
    const g = fixture(); // the same genesis, still at height 0
    const block = honestBlock(g, { edit: (h) => ({ ...h, l1AnchorNumber: 1_000_000 }) });
    const blockHash = headerHash(block.header);
    const forged: FinalizedBlock = { block, certificate: { height: 1, round: 0, blockHash, signatures: [] } };
    const liar: PeerScript = {
      status: () => chain.length,
      serve: (r) => honest(() => [forged, ...chain.slice(1)]).serve(r),
    };
    const h = new Harness(f, { liar, honest: honest(() => chain) });
    h.runUntil(() => h.height === chain.length, 10_000);
    expect(h.height).to.equal(chain.length);
    expect(h.faultsOf("liar")).to.include("invalid-block");
  });

  it("a peer that serves heights other than asked, or an error, is penalised", () => {
    const wrong: PeerScript = {
      status: () => chain.length,
      serve: (r) => ({ blocks: [chain[Math.min(r.from, chain.length - 1)]], bytes: 100 }),
    };
    const failing: PeerScript = { status: () => chain.length, serve: () => ({ error: "busy" }) };
    const h = new Harness(f, { wrong, failing, honest: honest(() => chain) });
    h.runUntil(() => h.height === chain.length, 10_000);
    expect(h.height).to.equal(chain.length);
    expect(h.faultsOf("wrong")).to.include("garbage");
    expect(h.faultsOf("failing")).to.include("not-served");
  });

  it("an oversize response (more bytes than asked, or over the limit) is refused unread", () => {
    const flood: PeerScript = {
      status: () => chain.length,
      serve: (r) => {
        const all = batchWithinBytes(chain.slice(r.from - 1, r.to), 1e9);
        return { blocks: all.blocks, bytes: all.data.length * 1000 };
      },
    };
    const h = new Harness(f, { flood, honest: honest(() => chain) });
    h.runUntil(() => h.height === chain.length, 10_000);
    expect(h.height).to.equal(chain.length);
    expect(h.faultsOf("flood")).to.include("oversize");
  });

  it("buffered blocks beyond a gap never block the gap (byte budget full)", () => {
    const machine = new SyncMachine({ ...SETTINGS, maxBufferBytes: SETTINGS.batchBytes * 2, maxInflightPerPeer: 1 }, 0);
    machine.addPeer("a", 0);
    machine.addPeer("b", 0);
    machine.onStatus("a", 40, 0);
    const effects = machine.onStatus("b", 40, 0);
    const requests = effects.filter((e): e is BlockRequest => e.type === "requestBlocks");
    // a holds 1..16 and times out; b delivers 17..32 and the budget is full of it.
    const second = requests.find((r) => r.from === 17)!;
    machine.onBlocks(second.peer, second.id, { blocks: chain.slice(16, 32), bytes: SETTINGS.batchBytes }, 10);
    const after = machine.tick(SETTINGS.requestTimeoutMs + 1);
    const retry = after.find((e): e is BlockRequest => e.type === "requestBlocks");
    expect(retry?.from, "head + 1 is asked again").to.equal(1);
    expect(after.some((e) => e.type === "penalise" && e.fault === "timeout")).to.equal(true);
  });
});
