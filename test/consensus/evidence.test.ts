import { expect } from "chai";
import { applyFinalizedBlock, createChainState } from "../../node/chain/chainState";
import { evidenceHash, type Evidence } from "../../node/chain/evidence";
import { EvidencePool } from "../../node/chain/evidencePool";
import { isJailedKey } from "../../node/chain/jail";
import { RegistryMirror } from "../../node/chain/registryView";
import { fixture, heartbeats, type Fixture } from "../../node/testing/chainFixture";
import { DEFAULT_MEMPOOL_LIMITS, Mempool } from "../../node/chain/mempool";
import { approval, firstPower, fixedK, registration } from "../../node/testing/staticL1";
import { Cluster } from "./coreCluster";

const EQUIVOCATOR = 3;

/**
 * Four representatives (keys 1–4) and two more candidates (keys 5, 6), K = 4, epochs of 3 blocks.
 * Key 4 has the most votes, so the election at block 3 would keep it; key 6 has none.
 */
function setup(): Fixture {
  const f = fixture();
  f.l1.addBlock([
    fixedK(4n),
    ...f.keys.map((k) => registration(k.address)),
    ...f.keys.map((k) => firstPower(k.address)),
  ]);
  f.l1.addBlock([0, 1, 2, 4].map((voter) => approval(f.keys[voter].address, f.keys[EQUIVOCATOR].address)));
  return f;
}

/**
 * Keys 5 and 6 run no node here: their heartbeats wait in every proposer's mempool, so they are
 * alive in epoch 0 and electable (docs/consensus.md, "Liveness and downtime").
 */
function withHeartbeats(f: Fixture): Mempool {
  const mempool = new Mempool(f.genesis.chainId, DEFAULT_MEMPOOL_LIMITS);
  for (const tx of heartbeats(f, f.keys.slice(4))) mempool.add(tx, 0n, f.genesis.timestamp);
  return mempool;
}

function cluster(f: Fixture, equivocate: boolean): { c: Cluster; published: Evidence[][] } {
  const keys = f.keys.slice(0, 4);
  const c = new Cluster(f, keys, (i) => ({
    evidencePool: new EvidencePool(f.config),
    mempool: withHeartbeats(f),
    ...(equivocate && i === EQUIVOCATOR ? { testEquivocateWith: keys[i] } : {}),
  }));
  const published: Evidence[][] = keys.map(() => []);
  const apply = c.apply.bind(c);
  c.apply = (i, effects) => {
    for (const e of effects) if (e.type === "evidence") published[i].push(e.evidence);
    apply(i, effects);
  };
  c.start();
  c.run();
  return { c, published };
}

describe("equivocation evidence in a 4-representative cluster", () => {
  it("control: without equivocation the most-voted representative is re-elected", () => {
    const f = setup();
    const { c, published } = cluster(f, false);
    expect(published.flat()).to.deep.equal([]);
    for (const core of c.cores) expect(core.state.setsByEpoch.get(1)).to.include(f.keys[EQUIVOCATOR].address);
  });

  it("one equivocating node: evidence is found and published by each honest node, finalized in a block, jails it on every node and keeps it out of the next election", () => {
    const f = setup();
    const { c, published } = cluster(f, true);
    const byzantine = f.keys[EQUIVOCATOR].address;
    // Each honest node saw both votes, turned them into evidence (one piece per offence) and published it.
    for (const honest of [0, 1, 2]) {
      expect(published[honest].length, `node ${honest}`).to.be.greaterThan(0);
      for (const e of published[honest]) expect(e.signer).to.equal(byzantine);
    }
    const withEvidence = c.stored[0].filter((fb) => fb.block.body.evidence.length > 0);
    expect(withEvidence.length).to.be.greaterThan(0);
    const committed = withEvidence[0].block.body.evidence;
    for (const e of committed) expect(e.signer).to.equal(byzantine);
    // The same chain, hence the same jail, on every node.
    const heads = new Set(c.cores.map((core) => core.state.setsByEpoch.get(1)!.join()));
    expect(heads.size).to.equal(1);
    for (const core of c.cores) {
      expect(isJailedKey(core.state, byzantine), "jailed").to.equal(true);
      expect([...core.state.jail.committed.keys()]).to.include(evidenceHash(committed[0]));
      // Excluded at the next election: the set of epoch 1 is four of the five others.
      expect(core.state.setsByEpoch.get(1)).to.not.include(byzantine);
      expect(core.state.setsByEpoch.get(1)).to.have.length(4);
      for (const honest of [0, 1, 2]) expect(isJailedKey(core.state, f.keys[honest].address)).to.equal(false);
    }
    // A restart rebuilds ChainState from the stored blocks: the same jail.
    const replayed = createChainState(f.config, new RegistryMirror());
    for (const fb of c.stored[1]) applyFinalizedBlock(f.config, replayed, fb.block);
    expect(replayed.jail).to.deep.equal(c.cores[1].state.jail);
  });
});
