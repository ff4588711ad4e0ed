import { expect } from "chai";
import { Simulator, simulate, type LiarKind, type SimOptions } from "../../node/sim/simulator";
import { Prng } from "../../node/sim/prng";

/** Short runs keep 200 seeds well under a minute; `npm run sim -- --seeds N` runs long ones. */
const SHORT: Omit<SimOptions, "seed"> = { chaosMs: 1200, calmMs: 2000, livenessWindowMs: 1800 };
const CI_SEEDS = 200;
/** Every CI seed runs with one lying sync peer, in turn of each kind. */
const LIARS: readonly LiarKind[] = ["high", "next", "forged"];

/** Runs seeds from `from` until one violates `invariant` (any, if omitted); returns it, or null. */
function firstViolation(options: Omit<SimOptions, "seed">, from: number, count: number, invariant?: string) {
  for (let seed = from; seed < from + count; seed++) {
    const r = simulate({ ...options, seed });
    if (r.violation && (invariant === undefined || r.violation.invariant === invariant)) return r;
  }
  return null;
}

describe("simulator", function () {
  this.timeout(300_000);

  it("the PRNG is deterministic per seed and spreads values", () => {
    const a = new Prng(7);
    const b = new Prng(7);
    const xs = Array.from({ length: 1000 }, () => a.uint32());
    expect(xs).to.deep.equal(Array.from({ length: 1000 }, () => b.uint32()));
    expect(new Prng(8).uint32()).to.not.equal(xs[0]);
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 10_000; i++) buckets[a.int(0, 9)]++;
    for (const n of buckets) expect(n).to.be.within(850, 1150);
  });

  it("replays a seed exactly", () => {
    const r1 = simulate({ ...SHORT, seed: 42 });
    const r2 = simulate({ ...SHORT, seed: 42 });
    expect(r1).to.deep.equal(r2);
    expect(r1.highestFinalized).to.be.greaterThan(0);
  });

  it(`holds every invariant over ${CI_SEEDS} seeds with a lying sync peer (claims 2^53 − 1, head + 1, or serves forged certificates), finalizing after GST, changing representatives, including transactions`, () => {
    let finalized = 0;
    let setChanges = 0;
    let transactions = 0;
    let synced = 0;
    let liarPenalties = 0;
    for (let seed = 1; seed <= CI_SEEDS; seed++) {
      const liar = LIARS[seed % LIARS.length];
      const r = simulate({ ...SHORT, seed, lyingSyncPeer: liar });
      if (r.violation)
        expect.fail(
          `seed ${seed}: ${r.violation.message} — replay: npm run sim -- --seed ${seed} --chaos-ms 1200 --calm-ms 2000 --liar ${liar}`,
        );
      synced += r.sync.importedBlocks;
      liarPenalties += r.sync.liarPenalties;
      expect(r.highestFinalized, `seed ${seed}`).to.be.greaterThan(r.heightAtGst);
      finalized += r.highestFinalized;
      if (r.epochSets > 1) setChanges++;
      transactions += r.transactions;
    }
    // Not vacuous: blocks were finalized and the elected set did move between epochs.
    expect(finalized).to.be.greaterThan(CI_SEEDS * 5);
    expect(setChanges).to.be.greaterThan(CI_SEEDS / 2);
    expect(transactions).to.be.greaterThan(CI_SEEDS * 5);
    // Nodes that were killed or cut off caught up through node/sync, and the liar was caught.
    expect(synced).to.be.greaterThan(CI_SEEDS);
    expect(liarPenalties).to.be.greaterThan(CI_SEEDS);
  });

  for (const liar of LIARS) {
    it(`a node partitioned for a whole epoch rejoins through the production catch-up path, past a "${liar}" liar (seed 2)`, () => {
      const sim = new Simulator({
        seed: 2,
        chaosMs: 0,
        calmMs: 5000,
        isolate: { node: 0, untilMs: 2500 },
        lyingSyncPeer: liar,
      });
      const epochLength = sim.config.genesis.epochLength;
      const r = sim.run();
      expect(r.violation).to.equal(null);
      const isolated = r.sync.isolated!;
      // It missed more than a whole epoch while cut off...
      expect(isolated.highestAtHeal - isolated.atHeal).to.be.greaterThan(epochLength);
      // ...and afterwards holds every height but possibly the very last, the missed ones through sync.
      expect(isolated.atEnd).to.be.at.least(r.highestFinalized - 1);
      expect(r.sync.importedBlocks).to.be.at.least(isolated.highestAtHeal - isolated.atHeal);
      expect(r.sync.liarPenalties).to.be.greaterThan(0);
      expect(r.sync.honestPenalties).to.equal(0);
    });
  }

  it("catches a validator that forgets its sign state on restart (double-sign invariant)", () => {
    const r = firstViolation({ ...SHORT, forgetSignStateOnRestart: true }, 1, 50);
    expect(r?.violation?.invariant).to.equal("double-sign");
  });

  it("catches a quorum of f+1 instead of 2f+1 (agreement invariant, with the certificate check off)", () => {
    // Two partitions of f+1 can each decide: some seed among the first 100 splits it that way.
    const r = firstViolation(
      { ...SHORT, faults: { weakQuorum: true }, checkHonestRejects: false },
      1,
      100,
      "agreement",
    );
    expect(r?.violation?.message).to.match(/^agreement: node \d+ finalized 0x[0-9a-f]{64} at height \d+/);
  });

  it("catches the weak quorum through its certificates too (honest nodes reject them)", () => {
    const r = firstViolation({ ...SHORT, faults: { weakQuorum: true } }, 1, 10);
    expect(r?.violation?.invariant).to.equal("honest-reject");
  });
});
