import { expect } from "chai";
import { createChainState } from "../../node/chain/chainState";
import { heartbeatPayload } from "../../node/chain/heartbeat";
import { signTransaction } from "../../node/chain/transaction";
import { DEFAULT_MEMPOOL_LIMITS, Mempool } from "../../node/chain/mempool";
import { RegistryMirror } from "../../node/chain/registryView";
import { signDigest, type KeyPair } from "../../node/chain/signing";
import type { FinalizedBlock } from "../../node/chain/types";
import { voteDigest } from "../../node/chain/voteDigest";
import type { VoteMessage } from "../../node/consensus/messages";
import { SignGuard } from "../../node/consensus/signGuard";
import { MemorySignStateStore } from "../../node/consensus/signState";
import { ValidatorCore, type Effect } from "../../node/consensus/validator";
import { certify } from "../../node/testing/certifiedChain";
import { fixture, heartbeats, honestBlock, keyOf, type Fixture } from "../../node/testing/chainFixture";
import { proposerFor } from "../../node/chain/epochs";
import { representativeAddresses } from "../../node/chain/chainState";
import { mineSync } from "../../node/sim/instantMiner";
import { ConsensusDriver } from "../../node/consensus/consensusDriver";
import { quietPorts } from "../../node/testing/driverPorts";
import { registration } from "../../node/testing/staticL1";
import { applyFinalizedBlock } from "../../node/chain/chainState";

const TIMEOUTS = { proposeMs: 1000, prevoteMs: 500, precommitMs: 500, roundDeltaMs: 100 };

/** A core with `key` and a mempool, following the fixture's chain (which it receives as commits). */
function follower(f: Fixture, key: KeyPair) {
  const core = new ValidatorCore({
    config: f.config,
    state: createChainState(f.config, new RegistryMirror()),
    source: f.l1,
    guard: new SignGuard(key, new MemorySignStateStore()),
    timeouts: TIMEOUTS,
    mempool: new Mempool(f.genesis.chainId, DEFAULT_MEMPOOL_LIMITS),
  });
  core.start(f.genesis.timestamp + 1);
  return core;
}

/** The fixture's next honest block (with `txs`), certified, applied there and delivered to `core`. */
function next(f: Fixture, core: ValidatorCore, transactions = heartbeats(f, [])): Effect[] {
  const finalized: FinalizedBlock = certify(f, honestBlock(f, { transactions }));
  applyFinalizedBlock(f.config, f.state, finalized.block);
  return core.onMessage({ type: "commit", finalized }, "peer", finalized.block.header.timestamp);
}

const heartbeatOf = (effects: Effect[]) => effects.find((e) => e.type === "heartbeat");

describe("a candidate node's heartbeat", () => {
  it("a registered candidate that is no representative sends one each epoch until a block holds it", () => {
    const f = fixture({ epochLength: 4 });
    const candidate = f.keys[4];
    f.l1.addBlock([registration(candidate.address)]);
    const core = follower(f, candidate);
    const first = heartbeatOf(next(f, core)); // block 1 imports the registration
    expect(first).to.deep.include({ type: "heartbeat" });
    const tx = first!.type === "heartbeat" ? first!.tx : null;
    expect(tx).to.include({ from: candidate.address, nonce: 0n, payload: heartbeatPayload(0) });
    // Not in block 2: the same transaction is sent again (it may have been lost).
    expect(heartbeatOf(next(f, core))).to.deep.equal(first);
    // Block 3 holds it: nothing more in epoch 0.
    expect(heartbeatOf(next(f, core, [tx!]))).to.equal(undefined);
    expect(core.state.liveness.active).to.include(candidate.address);
    // Block 4 ends epoch 0: from then on the node is due in epoch 1, with its next nonce.
    const again = heartbeatOf(next(f, core));
    expect(again?.type === "heartbeat" && again.tx).to.include({ nonce: 1n, payload: heartbeatPayload(1) });
  });

  it("a transaction of its own that takes the heartbeat's nonce proves it alive; the next epoch's heartbeat takes the next nonce", () => {
    const f = fixture({ epochLength: 4 });
    const candidate = f.keys[4];
    f.l1.addBlock([registration(candidate.address)]);
    const core = follower(f, candidate);
    const first = heartbeatOf(next(f, core)); // block 1: the heartbeat with nonce 0 goes out
    expect(first?.type === "heartbeat" && first.tx.nonce).to.equal(0n);
    // Block 2 holds another transaction of the same key with nonce 0 (sent with `repchain tx send`, say).
    const own = signTransaction(f.genesis.chainId, candidate, 0n, "0x0102");
    expect(heartbeatOf(next(f, core, [own]))).to.equal(undefined);
    expect(core.state.liveness.active).to.include(candidate.address);
    expect(heartbeatOf(next(f, core))).to.equal(undefined); // block 3: nothing more in epoch 0
    const again = heartbeatOf(next(f, core)); // block 4 ends epoch 0
    expect(again?.type === "heartbeat" && again.tx).to.include({ nonce: 1n, payload: heartbeatPayload(1) });
  });

  it("a candidate catching up on blocks older than an epoch's worth of block time sends none", () => {
    const f = fixture({ epochLength: 4 });
    f.l1.addBlock([registration(f.keys[4].address)]);
    const core = follower(f, f.keys[4]);
    const finalized = certify(f, honestBlock(f));
    applyFinalizedBlock(f.config, f.state, finalized.block);
    const late = finalized.block.header.timestamp + 4 * f.genesis.targetBlockTimeMs + 1;
    expect(heartbeatOf(core.onMessage({ type: "commit", finalized }, "peer", late))).to.equal(undefined);
    expect(core.state.height).to.equal(1);
  });

  it("a representative (its precommits speak for it) and a node that is no candidate send none", () => {
    const f = fixture({ epochLength: 4 });
    f.l1.addBlock([registration(f.keys[0].address)]);
    const representative = follower(f, f.keys[0]);
    const stranger = follower(f, f.keys[5]);
    for (let h = 1; h <= 3; h++) {
      const finalized = certify(f, honestBlock(f));
      applyFinalizedBlock(f.config, f.state, finalized.block);
      for (const core of [representative, stranger]) {
        const effects = core.onMessage({ type: "commit", finalized }, "peer", finalized.block.header.timestamp);
        expect(heartbeatOf(effects)).to.equal(undefined);
      }
    }
  });
});

describe("the lastCommit a proposer carries", () => {
  /** A precommit vote of key `k` for the fixture's head block. */
  function precommit(f: Fixture, k: KeyPair, signer = k, blockHash = f.state.headHash): VoteMessage {
    const digest = voteDigest("precommit", f.genesis.chainId, f.state.height, 0, blockHash);
    return {
      type: "vote",
      kind: "precommit",
      height: f.state.height,
      round: 0,
      blockHash,
      validator: k.address,
      signature: signDigest(digest, signer.privateKey),
    };
  }

  it("takes in a member's precommit that arrived after the decision, and nothing forged", () => {
    const f = fixture();
    const core = follower(f, f.keys[5]);
    const block = honestBlock(f);
    const full = certify(f, block);
    // Decided with 3 of 4: the precommit of key 4 comes late.
    const finalized = {
      ...full,
      certificate: { ...full.certificate, signatures: full.certificate.signatures.slice(0, 3) },
    };
    applyFinalizedBlock(f.config, f.state, block);
    core.onMessage({ type: "commit", finalized }, "peer", block.header.timestamp);
    expect(core.nextLastCommit()!.signatures).to.have.length(3);
    const [k1, , , k4, , k6] = f.keys;
    const forged = [
      precommit(f, k4, k6), // k4's name, k6's signature
      precommit(f, k6), // a non-member
      precommit(f, k4, k4, `0x${"00".repeat(32)}`), // for another block
    ];
    for (const vote of forged) core.onMessage(vote, "peer", block.header.timestamp);
    core.onMessage(precommit(f, k1), "peer", block.header.timestamp); // already in
    expect(core.nextLastCommit()!.signatures).to.have.length(3);
    core.onMessage(precommit(f, k4), "peer", block.header.timestamp);
    expect(core.nextLastCommit()).to.deep.equal(full.certificate);
  });

  /**
   * The proposer of the block after `block`, decided with the precommits of all but `late`: its
   * core, the effects of the decision (its first mining job) and the late member's precommit.
   */
  function proposerMissing(f: Fixture) {
    const block = honestBlock(f);
    const full = certify(f, block);
    applyFinalizedBlock(f.config, f.state, block);
    const set = representativeAddresses(f.state);
    const proposer = keyOf(f, proposerFor(set, f.state.height + 1, 0));
    const late = f.keys.slice(0, 4).find((k) => k !== proposer)!;
    const others = f.keys.slice(0, 4).filter((k) => k !== late);
    const digest = voteDigest("precommit", f.genesis.chainId, f.state.height, 0, f.state.headHash);
    const signatures = others.map((k) => signDigest(digest, k.privateKey));
    const core = follower(f, proposer);
    const finalized = { ...full, certificate: { ...full.certificate, signatures } };
    const effects = core.onMessage({ type: "commit", finalized }, "peer", block.header.timestamp);
    return { core, effects, latePrecommit: precommit(f, late), full };
  }
  const mineOf = (effects: Effect[]) => effects.filter((e) => e.type === "mine");

  it("a proposer still mining mines again with a precommit that came after the decision", () => {
    const f = fixture();
    const { core, effects, latePrecommit, full } = proposerMissing(f);
    const [first] = mineOf(effects);
    expect(first?.type === "mine" && first.body.lastCommit!.signatures).to.have.length(3);
    const again = mineOf(core.onMessage(latePrecommit, "peer", f.state.headTimestamp + 5));
    expect(again).to.have.length(1);
    const job = again[0].type === "mine" ? again[0] : null;
    expect(job!.body.lastCommit).to.deep.equal(full.certificate);
    expect(job!.header.lastCommitHash).to.not.equal(first.type === "mine" && first.header.lastCommitHash);
    // The same precommit again, or once more from another peer: no further restart.
    expect(mineOf(core.onMessage(latePrecommit, "other peer", f.state.headTimestamp + 6))).to.deep.equal([]);
    // The block mined from the new job is proposed, with all four precommits.
    const sealed = mineSync(job!.header, 1_000_000)!;
    const proposed = core.onMined(job!.height, job!.round, sealed, job!.body, f.state.headTimestamp + 7);
    const proposal = proposed.find((e) => e.type === "broadcast" && e.message.type === "proposal");
    expect(
      proposal?.type === "broadcast" && proposal.message.type === "proposal" && proposal.message.block.body.lastCommit,
    ).to.deep.equal(full.certificate);
  });

  it("a proposer that has proposed already keeps its block: the late precommit waits for its next one", () => {
    const f = fixture();
    const { core, effects, latePrecommit } = proposerMissing(f);
    const [first] = mineOf(effects);
    const job = first.type === "mine" ? first : null;
    core.onMined(job!.height, job!.round, mineSync(job!.header, 1_000_000)!, job!.body, f.state.headTimestamp + 5);
    expect(mineOf(core.onMessage(latePrecommit, "peer", f.state.headTimestamp + 6))).to.deep.equal([]);
    expect(core.nextLastCommit()!.signatures).to.have.length(4);
  });

  it("through the driver (the node's path: stale messages are screened out before the core's rules) the late precommit is taken and mining restarts", () => {
    const f = fixture();
    const block = honestBlock(f);
    const full = certify(f, block);
    applyFinalizedBlock(f.config, f.state, block);
    const proposer = keyOf(f, proposerFor(representativeAddresses(f.state), f.state.height + 1, 0));
    const late = f.keys.slice(0, 4).find((k) => k !== proposer)!;
    const digest = voteDigest("precommit", f.genesis.chainId, f.state.height, 0, f.state.headHash);
    const signatures = f.keys
      .slice(0, 4)
      .filter((k) => k !== late)
      .map((k) => signDigest(digest, k.privateKey));
    const core = new ValidatorCore({
      config: f.config,
      state: createChainState(f.config, new RegistryMirror()),
      source: f.l1,
      guard: new SignGuard(proposer, new MemorySignStateStore()),
      timeouts: TIMEOUTS,
      mempool: new Mempool(f.genesis.chainId, DEFAULT_MEMPOOL_LIMITS),
    });
    const jobs: string[] = [];
    const verdicts: string[] = [];
    const driver = new ConsensusDriver(
      core,
      quietPorts({ now: () => block.header.timestamp, mine: (header) => jobs.push(header.lastCommitHash) }),
    );
    driver.start();
    const finalized = { ...full, certificate: { ...full.certificate, signatures } };
    driver.onMessage({ type: "commit", finalized }, "peer", "gossip", (v) => verdicts.push(v));
    expect(jobs).to.have.length(1);
    // A stale message is IGNOREd unpenalised; one naming the late member under another key's
    // signature cost a signature recovery and is REJECTed (its sender penalised), and changes nothing.
    driver.onMessage(precommit(f, late, f.keys[5]), "attacker", "gossip", (v) => verdicts.push(v));
    expect(jobs).to.have.length(1);
    driver.onMessage(precommit(f, late), "peer", "gossip", (v) => verdicts.push(v));
    expect(verdicts).to.deep.equal(["accept", "reject", "ignore"]); // the real one: stale, not forwarded
    expect(core.nextLastCommit()).to.deep.equal(full.certificate);
    expect(jobs).to.have.length(2);
    expect(jobs[1]).to.not.equal(jobs[0]);
  });
});
