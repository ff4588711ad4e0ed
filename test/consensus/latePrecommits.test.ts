import { expect } from "chai";
import {
  applyFinalizedBlock,
  chainConfig,
  createChainState,
  representativeAddresses,
} from "../../node/chain/chainState";
import { proposerFor } from "../../node/chain/epochs";
import { DEFAULT_MEMPOOL_LIMITS, Mempool } from "../../node/chain/mempool";
import { RegistryMirror, registryCodec } from "../../node/chain/registryView";
import { signDigest, type KeyPair } from "../../node/chain/signing";
import { voteDigest } from "../../node/chain/voteDigest";
import { ConsensusDriver } from "../../node/consensus/consensusDriver";
import { HeadCommit } from "../../node/consensus/headCommit";
import type { VoteMessage } from "../../node/consensus/messages";
import type { Effect } from "../../node/consensus/validator";
import { mineSync } from "../../node/sim/instantMiner";
import { certify } from "../../node/testing/certifiedChain";
import { fixture, honestBlock, keyOf, type Fixture } from "../../node/testing/chainFixture";
import { quietPorts } from "../../node/testing/driverPorts";
import { testGenesis } from "../../node/testing/genesis";
import { testKey } from "../../node/testing/keys";
import { followingCore, keyedCore } from "../../node/testing/observerCore";
import { StaticL1 } from "../../node/testing/staticL1";

/** A precommit vote of key `k` for the fixture's head block (signed by `signer`). */
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

describe("the lastCommit a proposer carries", () => {
  it("takes in a member's precommit that arrived after the decision, and nothing forged", () => {
    const f = fixture();
    const core = followingCore(f, f.keys[5]);
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
    const core = followingCore(f, proposer);
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
    const core = keyedCore(f, proposer, new Mempool(f.genesis.chainId, DEFAULT_MEMPOOL_LIMITS));
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

/** A chain at genesis with `n` representatives (the fixture has 4). */
function fixtureOf(n: number): Fixture {
  const keys = Array.from({ length: n }, (_, i) => testKey(i + 1));
  const genesis = testGenesis(keys.map((k) => k.address));
  const config = chainConfig(genesis, registryCodec);
  return { keys, genesis, config, state: createChainState(config, new RegistryMirror()), l1: new StaticL1() };
}

describe("a proposer's restarts for late precommits", () => {
  it("are at most 4 a height however many come late (each rebuilds the template); each job takes all gathered so far", () => {
    const f = fixtureOf(16); // quorum 11: 5 precommits can come late
    const block = honestBlock(f);
    const full = certify(f, block);
    applyFinalizedBlock(f.config, f.state, block);
    const proposer = keyOf(f, proposerFor(representativeAddresses(f.state), f.state.height + 1, 0));
    const late = f.keys.filter((k) => k !== proposer).slice(0, 5);
    const digest = voteDigest("precommit", f.genesis.chainId, f.state.height, 0, f.state.headHash);
    const inTime = f.keys.filter((k) => !late.includes(k)).map((k) => signDigest(digest, k.privateKey));
    const core = followingCore(f, proposer);
    const finalized = { ...full, certificate: { ...full.certificate, signatures: inTime } };
    const now = block.header.timestamp;
    const mineOf = (effects: Effect[]) => effects.flatMap((e) => (e.type === "mine" ? [e] : []));
    expect(mineOf(core.onMessage({ type: "commit", finalized }, "peer", now))).to.have.length(1);
    const restarts = late.map((k) => mineOf(core.onMessage(precommit(f, k), "peer", now + 1)));
    expect(restarts.map((r) => r.length)).to.deep.equal([1, 1, 1, 1, 0]);
    expect(restarts[3][0].body.lastCommit!.signatures).to.have.length(15);
    // The fifth is still taken in: a later round's block, or the next proposal of this node, carries it.
    expect(core.nextLastCommit()!.signatures).to.have.length(16);
  });
});

describe("HeadCommit (the head's certificate with its late precommits)", () => {
  const f = fixture();
  const members = f.genesis.representatives;
  const blockHash = `0x${"42".repeat(32)}` as const;
  const sign = (key: KeyPair, round = 0) =>
    signDigest(voteDigest("precommit", f.genesis.chainId, 7, round, blockHash), key.privateKey);
  const vote = (validator: KeyPair, signature = sign(validator), round = 0): VoteMessage => ({
    type: "vote",
    kind: "precommit",
    height: 7,
    round,
    blockHash,
    validator: validator.address,
    signature,
  });
  const [k0, k1, k2, k3, , stranger] = f.keys;
  const garbage = `0x${"ab".repeat(65)}` as const;

  it("keeps one valid precommit per member, in the set's order", () => {
    const messy = {
      height: 7,
      round: 0,
      blockHash,
      signatures: [sign(k2), sign(stranger), sign(k0), sign(k2), garbage],
    };
    const head = new HeadCommit(f.genesis.chainId, messy, members);
    expect(head.canonical().signatures).to.deep.equal([sign(k0), sign(k2)]);
  });

  it("takes a member's late precommit once, refuses a forged one, and ignores the rest", () => {
    const head = new HeadCommit(
      f.genesis.chainId,
      { height: 7, round: 0, blockHash, signatures: [sign(k0), sign(k2)] },
      members,
    );
    expect(head.offer(vote(k1))).to.equal("added");
    expect(head.offer(vote(k1))).to.equal("not taken"); // again
    expect(head.offer(vote(k2, garbage))).to.equal("not taken"); // a member already in: looked up, not recovered
    expect(head.offer(vote(k3, sign(stranger)))).to.equal("forged"); // k3's name, another key's signature
    expect(head.offer(vote(stranger))).to.equal("not taken"); // no member
    expect(head.offer(vote(k3, sign(k3, 1), 1))).to.equal("not taken"); // another round
    expect(head.offer({ ...vote(k3), kind: "prevote" })).to.equal("not taken");
    expect(head.canonical().signatures).to.deep.equal([sign(k0), sign(k1), sign(k2)]);
  });
});
