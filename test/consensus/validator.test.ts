import { expect } from "chai";
import { verifyCertificate } from "../../node/chain/certificate";
import { ZERO_HASH } from "../../node/chain/bytes";
import { headerHash } from "../../node/chain/headerCodec";
import { signDigest } from "../../node/chain/signing";
import { voteDigest } from "../../node/chain/voteDigest";
import type { ProposalMessage } from "../../node/consensus/messages";
import { createChainState } from "../../node/chain/chainState";
import { RegistryGovernance } from "../../node/chain/registryView";
import { SignGuard, SignStateWriteError } from "../../node/consensus/signGuard";
import { ValidatorCore } from "../../node/consensus/validator";
import { DEFAULT_MEMPOOL_LIMITS, Mempool } from "../../node/chain/mempool";
import { signTransaction } from "../../node/chain/transaction";
import { MemorySignStateStore } from "../../node/consensus/signState";
import { fixture, keyOf } from "../../node/testing/chainFixture";
import { Cluster } from "./coreCluster";

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
    const proposal = cluster.queue.map((q) => q.message).find((m): m is ProposalMessage => m.type === "proposal")!;
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
});

describe("ValidatorCore mining jobs", () => {
  it("asks to cancel the mining job when the round moves on before the PoW is found", () => {
    const f = fixture();
    // proposer(1, 0) = representatives[1]
    const core = new Cluster(f, [f.keys[1]]).cores[0];
    const started = core.start(f.genesis.timestamp + 1);
    expect(started.some((e) => e.type === "mine" && e.height === 1 && e.round === 0)).to.equal(true);
    expect(core.onTimer("propose", 1, 0, f.genesis.timestamp + 2).some((e) => e.type === "cancelMining")).to.equal(
      false,
    );
    // f + 1 = 2 validators already in round 1: the machine skips there, and the round-0 job is stale.
    const effects = [f.keys[2], f.keys[3]].flatMap((k) => {
      const signature = signDigest(voteDigest("prevote", f.config.genesis.chainId, 1, 1, ZERO_HASH), k.privateKey);
      const vote = {
        type: "vote" as const,
        kind: "prevote" as const,
        height: 1,
        round: 1,
        blockHash: null,
        validator: k.address,
        signature,
      };
      return core.onMessage(vote, "peer", f.genesis.timestamp + 3);
    });
    expect(core.machine.round).to.equal(1);
    expect(effects).to.deep.include({ type: "cancelMining", height: 1, round: 0 });
  });
});

describe("ValidatorCore and a failing sign-state store", () => {
  for (const c of [
    { id: "the genesis's maxTransactionsPerBlock", genesisMax: 2, proposerMax: undefined, included: 2 },
    { id: "its own proposerMaxTransactions", genesisMax: 2000, proposerMax: 1, included: 1 },
    { id: "the genesis's limit over a larger own one", genesisMax: 2, proposerMax: 5, included: 2 },
  ]) {
    it(`a proposer puts at most ${c.id} in its block`, () => {
      const f = fixture({ maxTransactionsPerBlock: c.genesisMax });
      const mempool = new Mempool(f.genesis.chainId, DEFAULT_MEMPOOL_LIMITS);
      for (const nonce of [0n, 1n, 2n]) {
        expect(mempool.add(signTransaction(f.genesis.chainId, f.keys[5], nonce, "0x01"), 0n).accepted).to.equal(true);
      }
      const proposer = f.state.representatives[1].address;
      const core = new ValidatorCore({
        config: f.config,
        state: createChainState(f.config, new RegistryGovernance()),
        source: f.l1,
        guard: new SignGuard(keyOf(f, proposer), new MemorySignStateStore()),
        timeouts: { proposeMs: 1000, prevoteMs: 500, precommitMs: 500, roundDeltaMs: 100 },
        mempool,
        proposerMaxTransactions: c.proposerMax,
      });
      const mine = core.start(f.genesis.timestamp + 1).find((e) => e.type === "mine");
      expect(mine?.type === "mine" && mine.body.transactions.length).to.equal(c.included);
    });
  }

  it("stops (throws SignStateWriteError) instead of blaming the peer or sending an unsaved vote", () => {
    const f = fixture();
    const proposer = new Cluster(f, [f.keys[1]]);
    proposer.start();
    const proposal = proposer.sent.find((m) => m.type === "proposal")!;
    const failing = {
      load: () => null,
      save: () => {
        throw new Error("EIO");
      },
    };
    const core = new ValidatorCore({
      config: f.config,
      state: createChainState(f.config, new RegistryGovernance()),
      source: f.l1,
      guard: new SignGuard(f.keys[0], failing),
      timeouts: { proposeMs: 1000, prevoteMs: 500, precommitMs: 500, roundDeltaMs: 100 },
    });
    core.start(f.genesis.timestamp + 1);
    expect(() => core.onMessage(proposal, "peer", f.genesis.timestamp + 100)).to.throw(SignStateWriteError, "EIO");
  });
});
