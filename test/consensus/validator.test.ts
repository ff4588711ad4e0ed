import { expect } from "chai";
import { verifyCertificate } from "../../node/chain/certificate";
import { createChainState } from "../../node/chain/chainState";
import { headerHash } from "../../node/chain/headerCodec";
import { RegistryGovernance } from "../../node/chain/registryGovernance";
import type { KeyPair } from "../../node/chain/signing";
import type { FinalizedBlock } from "../../node/chain/types";
import type { ConsensusMessage, ProposalMessage } from "../../node/consensus/messages";
import { SignGuard } from "../../node/consensus/signGuard";
import { MemorySignStateStore } from "../../node/consensus/signState";
import { ValidatorCore, type Effect } from "../../node/consensus/validator";
import { mineSync } from "../../node/sim/instantMiner";
import { fixture, type Fixture } from "../chain/fixtures";

const TIMEOUTS = { proposeMs: 1000, prevoteMs: 500, precommitMs: 500, roundDeltaMs: 100 };

/** N cores on a lossless, in-order, synchronous network; mining is instant; timers never fire. */
class Cluster {
  readonly cores: ValidatorCore[];
  readonly stored: FinalizedBlock[][];
  readonly invalid: Effect[] = [];
  private queue: { to: number; from: number; message: ConsensusMessage }[] = [];
  nowMs: number;

  constructor(
    readonly f: Fixture,
    keys: (KeyPair | null)[],
  ) {
    this.nowMs = f.genesis.timestamp + 1000;
    this.stored = keys.map(() => []);
    this.cores = keys.map(
      (key, i) =>
        new ValidatorCore({
          config: f.config,
          state: createChainState(f.config, new RegistryGovernance()),
          source: f.l1,
          guard: key ? new SignGuard(key, new MemorySignStateStore()) : null,
          timeouts: TIMEOUTS,
          readFinalized: (h) => this.stored[i][h - 1],
        }),
    );
  }

  start(): void {
    this.cores.forEach((core, i) => this.apply(i, core.start(this.nowMs)));
  }

  apply(i: number, effects: Effect[]): void {
    for (const e of effects) {
      if (e.type === "broadcast")
        this.cores.forEach((_, j) => j !== i && this.queue.push({ to: j, from: i, message: e.message }));
      else if (e.type === "send") this.queue.push({ to: Number(e.to), from: i, message: e.message });
      else if (e.type === "finalized") this.stored[i].push(e.finalized);
      else if (e.type === "invalid") this.invalid.push(e);
      else if (e.type === "mine") {
        const header = mineSync(e.header, 1_000_000)!;
        this.nowMs += 10;
        this.apply(i, this.cores[i].onMined(e.height, e.round, header, e.body, this.nowMs));
      }
    }
  }

  /** Delivers until quiet or `maxSteps`. */
  run(maxSteps = 20_000): void {
    for (let step = 0; step < maxSteps && this.queue.length > 0; step++) {
      const { to, from, message } = this.queue.shift()!;
      this.nowMs += 1;
      this.apply(to, this.cores[to].onMessage(message, String(from), this.nowMs));
      if (this.cores.every((c) => c.state.height >= 5)) return;
    }
  }

  deliver(to: number, message: ConsensusMessage): Effect[] {
    return this.cores[to].onMessage(message, "99", this.nowMs);
  }
}

describe("ValidatorCore", () => {
  it("four representatives finalize certified blocks; an ordinary node without a key follows", () => {
    const f = fixture();
    const cluster = new Cluster(f, [...f.keys.slice(0, 4), null]);
    cluster.start();
    cluster.run();
    const heights = cluster.cores.map((c) => c.state.height);
    expect(Math.min(...heights)).to.be.at.least(5);
    const members = f.genesis.representatives;
    for (let h = 1; h <= 5; h++) {
      const hashes = new Set(cluster.stored.map((s) => headerHash(s[h - 1].block.header)));
      expect(hashes.size, `height ${h}`).to.equal(1);
      const { block, certificate } = cluster.stored[4][h - 1];
      verifyCertificate(f.config.genesis.chainId, certificate, h, headerHash(block.header), members);
    }
    expect(cluster.invalid).to.deep.equal([]);
  });

  it("REJECTs a proposal not signed by proposer(h, r), and it changes nothing", () => {
    const f = fixture();
    const cluster = new Cluster(f, f.keys.slice(0, 4));
    cluster.start();
    // A real proposal presented for the next round: its signature is not that round proposer's.
    const proposal = (cluster as unknown as { queue: { message: ConsensusMessage }[] }).queue
      .map((q) => q.message)
      .find((m): m is ProposalMessage => m.type === "proposal")!;
    const forged = { ...proposal, round: proposal.round + 1 };
    const target = cluster.cores.findIndex((c) => c.machine.step === "propose");
    const before = cluster.cores[target].machine.step;
    const effects = cluster.deliver(target, forged);
    expect(effects).to.have.length(1);
    expect(effects[0]).to.include({ type: "invalid", verdict: "reject" });
    expect(cluster.cores[target].machine.step).to.equal(before);
  });

  it("REJECTs a commit whose certificate lacks a quorum, and does not move", () => {
    const f = fixture();
    const cluster = new Cluster(f, [...f.keys.slice(0, 4), null]);
    cluster.start();
    cluster.run();
    const good = cluster.stored[0][0];
    const late = new Cluster(f, [null]);
    late.start();
    const weak = { ...good, certificate: { ...good.certificate, signatures: good.certificate.signatures.slice(0, 2) } };
    const effects = late.deliver(0, { type: "commit", finalized: weak });
    expect(effects[0]).to.include({ type: "invalid", verdict: "reject" });
    expect(effects[0])
      .to.have.property("reason")
      .that.matches(/CERTIFICATE_NO_QUORUM/);
    expect(late.cores[0].state.height).to.equal(0);
    // The genuine commit is accepted and applied.
    const ok = late.deliver(0, { type: "commit", finalized: good });
    expect(ok.some((e) => e.type === "finalized")).to.equal(true);
    expect(late.cores[0].state.height).to.equal(1);
  });

  it("answers a status from a node behind with the commits it misses (bounded)", () => {
    const f = fixture();
    const cluster = new Cluster(f, f.keys.slice(0, 4));
    cluster.start();
    cluster.run();
    const replies = cluster.deliver(0, { type: "status", height: 2 });
    const commits = replies.filter((e) => e.type === "send" && e.message.type === "commit");
    expect(commits.length).to.equal(cluster.cores[0].state.height - 2);
    expect(commits.every((e) => e.type === "send" && e.to === "99")).to.equal(true);
  });
});
