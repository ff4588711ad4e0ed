import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyFinalizedBlock, createChainState, type ChainState } from "../../node/chain/chainState";
import { proposerFor } from "../../node/chain/epochs";
import type { Genesis } from "../../node/chain/genesis";
import { exclusionAt, type ExcludedCandidate, type Exclusion } from "../../node/chain/electability";
import { RegistryMirror } from "../../node/chain/registryView";
import type { KeyPair } from "../../node/chain/signing";
import type { FinalizedBlock } from "../../node/chain/types";
import { verifyBlock } from "../../node/chain/verifyBlock";
import { openDatabase } from "../../node/store/database";
import { ChainStore } from "../../node/store/chainStore";
import { certify } from "../../node/testing/certifiedChain";
import { fixture, heartbeats, honestBlock, parentCommit, type Fixture } from "../../node/testing/chainFixture";
import { approval, firstPower, fixedK, registration } from "../../node/testing/staticL1";
import type { Address } from "../../node/types/primitives";

/**
 * The liveness and downtime rules (node/chain/liveness.ts, docs/consensus.md "Liveness and
 * downtime") on a chain of epochs of 4 blocks built by honest proposers: every block verified by
 * verifyBlock (so its election is the one expectedElection computes) and then applied.
 */
const L = 4;

/** Keys 1–6 registered on L1, K = 4, key i approved by itself with `powers[i]` voting units. */
function chain(powers: readonly bigint[], genesis: Partial<Genesis> = {}, registered = [0, 1, 2, 3, 4, 5]) {
  const f = fixture({ epochLength: L, minSignedPermille: 500, downtimeJailEpochs: 2, ...genesis });
  f.l1.addBlock([
    fixedK(4n),
    ...registered.map((i) => registration(f.keys[i].address)),
    ...registered.map((i) => firstPower(f.keys[i].address, powers[i])),
    ...registered.map((i) => approval(f.keys[i].address, f.keys[i].address)),
  ]);
  return f;
}

interface Step {
  /** Members of the parent's set whose precommits the block carries (default: all). */
  signers?: readonly KeyPair[];
  heartbeats?: readonly KeyPair[];
  /** Keys that are down: they propose nothing (a later round's proposer does). */
  down?: readonly KeyPair[];
}

/** Builds, verifies, applies and certifies the next block. */
function step(f: Fixture, s: Step = {}): FinalizedBlock {
  const down = new Set((s.down ?? []).map((k) => k.address));
  const set = f.state.representatives.map((r) => r.signingKey);
  let round = 0;
  while (down.has(proposerFor(set, f.state.height + 1, round))) round++;
  const block = honestBlock(f, {
    round,
    transactions: heartbeats(f, s.heartbeats ?? []),
    lastCommit: parentCommit(
      f,
      s.signers?.map((k) => k.address),
    ),
  });
  verifyBlock(f.config, f.state, block, { source: f.l1, nowMs: null });
  const finalized = certify(f, block);
  applyFinalizedBlock(f.config, f.state, block);
  return finalized;
}

function addresses(keys: readonly KeyPair[]): Address[] {
  return keys.map((k) => k.address);
}

/** A registered key excluded from an election (candidate address and signing key are one here). */
function excluded(key: KeyPair, reason: Exclusion): ExcludedCandidate {
  return { candidate: key.address, signingKey: key.address, reason };
}

function elected(state: ChainState): Address[] {
  return state.representatives.map((r) => r.signingKey);
}

describe("liveness and downtime (who is electable)", () => {
  it("a representative that stops signing for an epoch is not elected next time, and is electable again after the jail epochs and a heartbeat", () => {
    // Key 6 outvotes key 5 but never heartbeats; key 4 outvotes both.
    const f = chain([10n, 9n, 8n, 7n, 5n, 6n]);
    const [k1, k2, k3, k4, k5, k6] = f.keys;
    const blocks: FinalizedBlock[] = [];
    // Epoch 0: key 4 is down for the whole epoch; key 5 heartbeats.
    blocks.push(step(f, { heartbeats: [k5], down: [k4] }));
    for (let h = 2; h <= L; h++) blocks.push(step(f, { signers: [k1, k2, k3], down: [k4] }));
    expect(elected(f.state)).to.deep.equal(addresses([k1, k2, k3, k5]));
    expect(f.state.liveness.jailedThroughEpoch.get(k4.address)).to.equal(2);
    // The state says who was left out and why: key 4 for downtime, key 6 for silence.
    expect(f.state.excludedAtLastElection).to.deep.equal([excluded(k4, "downtime"), excluded(k6, "inactive")]);
    // Epoch 1: key 4 is back and heartbeats, but it is jailed (downtimeJailEpochs = 2).
    blocks.push(step(f, { heartbeats: [k4] }));
    for (let h = 2; h <= L; h++) blocks.push(step(f));
    expect(f.state.liveness.epoch).to.equal(2);
    expect(elected(f.state)).to.deep.equal(addresses([k1, k2, k3, k5]));
    expect(f.state.excludedAtLastElection).to.deep.equal([excluded(k4, "downtime"), excluded(k6, "inactive")]);
    // Epoch 2: out of jail, but without a heartbeat in this epoch it is not electable...
    for (let h = 1; h < L; h++) blocks.push(step(f));
    const lastCommit = parentCommit(f);
    expect(exclusionAt(f.config, f.state, { transactions: [], lastCommit })(k4.address)).to.equal("inactive");
    // ...and with one, even in the election block itself, it is elected again (7 votes > key 5's 5).
    blocks.push(step(f, { heartbeats: [k4] }));
    expect(elected(f.state)).to.deep.equal(addresses([k1, k2, k3, k4]));
    expect(f.state.liveness.jailedThroughEpoch.size).to.equal(0);
    expect(f.state.excludedAtLastElection).to.deep.equal([excluded(k6, "inactive")]);
  });

  it("a representative below minSignedPermille of its epoch's commits is jailed although it signed some; one above is not", () => {
    // Epochs of 4 blocks count 3 commits: key 4 in 1 of 3 (333‰ < 500‰), key 3 in 2 of 3 (667‰).
    const f = chain([10n, 9n, 8n, 7n, 5n, 6n]);
    const [k1, k2, k3, k4, k5] = f.keys;
    step(f, { heartbeats: [k5] });
    step(f, { signers: [k1, k2, k4] });
    step(f, { signers: [k1, k2, k3] });
    step(f, { signers: [k1, k2, k3] });
    expect(f.state.liveness.jailedThroughEpoch.get(k4.address)).to.equal(2);
    expect(f.state.liveness.jailedThroughEpoch.has(k3.address)).to.equal(false);
    expect(elected(f.state)).to.deep.equal(addresses([k1, k2, k3, k5]));
  });

  it("minSignedPermille 0 switches the downtime rule off: a partial signer stays electable", () => {
    const f = chain([10n, 9n, 8n, 7n, 5n, 6n], { minSignedPermille: 0 });
    const [k1, k2, k3, k4, k5] = f.keys;
    step(f, { heartbeats: [k5] });
    step(f, { signers: [k1, k2, k3, k4] });
    step(f, { signers: [k1, k2, k3] });
    step(f, { signers: [k1, k2, k3] });
    expect(f.state.liveness.jailedThroughEpoch.size).to.equal(0);
    expect(elected(f.state)).to.deep.equal(addresses([k1, k2, k3, k4]));
  });

  it("a candidate that never heartbeats is not elected; one that does is", () => {
    const powers = [10n, 9n, 8n, 7n, 12n, 11n];
    const silent = chain(powers);
    const [k1, k2, k3, , k5, k6] = silent.keys;
    step(silent, { heartbeats: [k5] });
    for (let h = 2; h <= L; h++) step(silent);
    expect(elected(silent.state)).to.deep.equal(addresses([k5, k1, k2, k3]));

    const alive = chain(powers);
    step(alive, { heartbeats: [k5] });
    step(alive, { heartbeats: [k6] });
    for (let h = 3; h <= L; h++) step(alive);
    expect(elected(alive.state)).to.deep.equal(addresses([k5, k6, k1, k2]));
  });

  it("with fewer electable candidates than 4 the current set stays, though 4 are eligible on L1", () => {
    // Registered: keys 1, 4, 5, 6. Key 4 stops signing, key 6 never heartbeats: 2 electable.
    const f = chain([10n, 9n, 8n, 7n, 12n, 11n], {}, [0, 3, 4, 5]);
    const [k1, k2, k3, k4, k5] = f.keys;
    const genesisSet = elected(f.state);
    step(f, { heartbeats: [k5], down: [k4] });
    for (let h = 2; h < L; h++) step(f, { signers: [k1, k2, k3], down: [k4] });
    expect(f.state.governance.elect(1n << 32n)).to.have.length(4); // without the liveness rule
    step(f, { signers: [k1, k2, k3], down: [k4] });
    expect(elected(f.state)).to.deep.equal(genesisSet);
  });

  it("gives the same state on every node (whatever certificates each holds) and after a restart from the store", async () => {
    const f = chain([10n, 9n, 8n, 7n, 5n, 6n]);
    const [k1, k2, k3, k4, k5] = f.keys;
    const blocks: FinalizedBlock[] = [step(f, { heartbeats: [k5], down: [k4] })];
    for (let h = 2; h <= 2 * L; h++) blocks.push(step(f, { signers: [k1, k2, k3], down: [k4] }));
    blocks.push(step(f, { heartbeats: [k4] }));
    // Another node holds other quorums of precommits for the same blocks: its certificates differ.
    const other = blocks.map((b) => ({
      ...b,
      certificate: { ...b.certificate, signatures: b.certificate.signatures.slice(1) },
    }));
    const dir = mkdtempSync(join(tmpdir(), "repchain-liveness-"));
    try {
      const rebuilt = [];
      for (const [i, finalized] of [blocks, other].entries()) {
        const db = await openDatabase(join(dir, `node${i}`));
        const store = new ChainStore(db);
        for (const b of finalized) void store.append(b);
        await store.flush();
        const state = createChainState(f.config, new RegistryMirror());
        for await (const b of store.replay()) applyFinalizedBlock(f.config, state, b.block);
        await db.close();
        rebuilt.push(state);
      }
      for (const state of rebuilt) {
        expect(state.liveness).to.deep.equal(f.state.liveness);
        expect(state.representatives).to.deep.equal(f.state.representatives);
        expect([...state.setsByEpoch]).to.deep.equal([...f.state.setsByEpoch]);
      }
      // Key 5, elected into epoch 1, signed none of its commits: jailed through epoch 1 + 2.
      expect(f.state.liveness.jailedThroughEpoch.get(k5.address)).to.equal(3);
      expect(f.state.liveness.active).to.include(k4.address);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
