import { expect } from "chai";
import { verifyCertificate } from "../../node/chain/certificate";
import { ZERO_HASH } from "../../node/chain/bytes";
import { headerHash } from "../../node/chain/headerCodec";
import { signDigest } from "../../node/chain/signing";
import { proposalDigest, voteDigest } from "../../node/chain/voteDigest";
import type { ProposalMessage } from "../../node/consensus/messages";
import { createChainState } from "../../node/chain/chainState";
import { RegistryMirror } from "../../node/chain/registryView";
import { SignGuard, SignStateWriteError } from "../../node/consensus/signGuard";
import { ValidatorCore } from "../../node/consensus/validator";
import { DEFAULT_MEMPOOL_LIMITS, Mempool } from "../../node/chain/mempool";
import { signTransaction } from "../../node/chain/transaction";
import { MemorySignStateStore, SignStep, type SignState } from "../../node/consensus/signState";
import { fixture, keyOf } from "../../node/testing/chainFixture";
import { certifiedChain } from "../../node/testing/certifiedChain";
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
    // Late votes and commits of decided heights are stale: IGNOREd (not forwarded), never REJECTed.
    expect(cluster.invalid.filter((e) => e.type === "invalid" && e.verdict === "reject")).to.deep.equal([]);
    for (const e of cluster.invalid)
      expect(e)
        .to.have.property("reason")
        .that.matches(/^stale /);
  });

  it("persists every non-nil precommit together with its lock (the block and its polka) before releasing it", () => {
    const f = fixture();
    const saved: SignState[][] = [[], [], [], []];
    const recording = (i: number) => ({
      load: () => saved[i].at(-1) ?? null,
      save: (state: SignState) => void saved[i].push(state),
    });
    const cluster = new Cluster(f, f.keys.slice(0, 4), (i) => ({ guard: new SignGuard(f.keys[i], recording(i)) }));
    cluster.start();
    cluster.run();
    const precommits = saved.flat().filter((s) => s.step === SignStep.PRECOMMIT && s.vote?.blockHash);
    expect(precommits.length).to.be.at.least(4 * 5);
    for (const s of precommits) {
      // After a crash right after this write, the restarted node must still refuse another value.
      expect(s.lock?.blockHash).to.equal(s.vote!.blockHash);
      expect(headerHash(s.lock!.block.header)).to.equal(s.vote!.blockHash);
      expect(s.lock!.polka.filter((v) => v.blockHash === s.vote!.blockHash).length).to.be.at.least(3);
    }
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
        state: createChainState(f.config, new RegistryMirror()),
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
      state: createChainState(f.config, new RegistryMirror()),
      source: f.l1,
      guard: new SignGuard(f.keys[0], failing),
      timeouts: { proposeMs: 1000, prevoteMs: 500, precommitMs: 500, roundDeltaMs: 100 },
    });
    core.start(f.genesis.timestamp + 1);
    expect(() => core.onMessage(proposal, "peer", f.genesis.timestamp + 100)).to.throw(SignStateWriteError, "EIO");
  });
});

describe("ValidatorCore screens before it buffers or forwards (verify before you buffer)", () => {
  const TIMEOUTS = { proposeMs: 1000, prevoteMs: 500, precommitMs: 500, roundDeltaMs: 100 };

  /** An observer's core at height `height` (the blocks before certified and applied). */
  function started(epochLength = 3, height = 1) {
    const f = fixture({ epochLength });
    certifiedChain(f, height - 1);
    const core = new ValidatorCore({
      config: f.config,
      state: f.state,
      source: f.l1,
      guard: null,
      timeouts: TIMEOUTS,
    });
    core.start(f.genesis.timestamp + 1);
    return { f, core };
  }

  function vote(f: ReturnType<typeof fixture>, signer: number, height: number, validator = f.keys[signer].address) {
    const digest = voteDigest("prevote", f.genesis.chainId, height, 0, ZERO_HASH);
    return {
      type: "vote" as const,
      kind: "prevote" as const,
      height,
      round: 0,
      blockHash: null,
      validator,
      signature: signDigest(digest, f.keys[signer].privateKey),
    };
  }

  it("REJECTs a next-height vote with another's signature, IGNOREs a non-member's, ACCEPTs (buffers) a member's", () => {
    const { f, core } = started(10);
    expect(core.onMessage(vote(f, 4, 2, f.keys[0].address), "peer", 0)[0]).to.include({ verdict: "reject" });
    expect(core.onMessage(vote(f, 4, 2), "peer", 0)[0]).to.include({ verdict: "ignore" });
    expect(core.onMessage(vote(f, 0, 2), "peer", 0)).to.deep.equal([]);
  });

  it("across an epoch switch the next set is unknown: a next-height vote needs a valid signature only", () => {
    const { f, core } = started(2, 2); // height 2 ends epoch 0
    expect(core.onMessage(vote(f, 4, 3), "peer", 0)).to.deep.equal([]);
    expect(core.onMessage(vote(f, 4, 3, f.keys[0].address), "peer", 0)[0]).to.include({ verdict: "reject" });
  });

  it("across an epoch switch a re-proposal cannot be checked yet: IGNOREd, not REJECTed (its sender may be honest)", () => {
    const f = fixture({ epochLength: 2 });
    const cluster = new Cluster(f, f.keys.slice(0, 4));
    cluster.start();
    cluster.run();
    const { core } = started(2, 2); // height 2 ends epoch 0
    const block = cluster.stored[0][2].block; // height 3, mined by its round-0 proposer
    const hash = headerHash(block.header);
    const signer = f.keys.slice(0, 4).find((k) => k.address !== block.header.proposer)!;
    const proposal = (validRound: number) => ({
      type: "proposal" as const,
      height: 3,
      round: 1,
      validRound,
      block,
      signature: signDigest(proposalDigest(f.genesis.chainId, 3, 1, validRound, hash), signer.privateKey),
    });
    // Found by the simulator: an honest re-proposer of a block another mined was penalised.
    expect(core.screen(proposal(0), "peer")).to.include({ verdict: "ignore" });
    // A fresh block is signed by the proposer it names: anyone else's signature is forged.
    expect(core.screen(proposal(-1), "peer")).to.include({ verdict: "reject" });
  });

  it("IGNOREs stale and far-future messages instead of forwarding them", () => {
    const { f, core } = started(10);
    expect(core.onMessage(vote(f, 0, 3), "peer", 0)[0]).to.include({ verdict: "ignore" });
    expect(core.onMessage(vote(f, 0, 0), "peer", 0)[0]).to.include({ verdict: "ignore", reason: "stale height 0 < 1" });
  });

  it("checks a commit's certificate before anything else (no L1 look-up for a forged one)", () => {
    const f = fixture();
    const cluster = new Cluster(f, [...f.keys.slice(0, 4), null]);
    cluster.start();
    cluster.run();
    const { core } = started();
    const finalized = cluster.stored[0][0];
    const forged = { ...finalized, certificate: { ...finalized.certificate, signatures: [] } };
    expect(core.screen({ type: "commit", finalized: forged }, "peer")).to.include({ verdict: "reject" });
    expect(core.screen({ type: "commit", finalized }, "peer")).to.equal(null);
    expect(core.screen({ type: "commit", finalized: cluster.stored[0][1] }, "peer")).to.include({ verdict: "ignore" });
  });
});
