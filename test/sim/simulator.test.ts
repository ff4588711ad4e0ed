import { expect } from "chai";
import { campaignRun, replayCommand, SHORT_RUN } from "../../node/sim/campaign";
import { Simulator, simulate, type LiarKind, type SimOptions } from "../../node/sim/simulator";
import { Prng } from "../../node/sim/prng";

const SHORT: Omit<SimOptions, "seed"> = SHORT_RUN;
/**
 * Short runs with every adversary: ≈ 0.2 s of CPU each (measured: docs/consensus.md), so 1,000
 * take three to four minutes of one core; `npm run sim -- --seeds N` runs more.
 */
const CI_SEEDS = 1000;
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
  // Bounded by the seed count, not by a clock: at a load of 20 the sweep took 20 minutes of wall time.
  this.timeout(3_600_000);

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

  it(`holds every invariant over ${CI_SEEDS} seeds with a Byzantine representative, L1 reorgs within the confirmations, skewed clocks and a lying sync peer`, () => {
    const total = {
      finalized: 0,
      setChanges: 0,
      transactions: 0,
      synced: 0,
      liarPenalties: 0,
      twinProposals: 0,
      conflictingVotes: 0,
      fakeValidRounds: 0,
      overBudget: 0,
      wireRefused: 0,
      replayed: 0,
      conflictsHanded: 0,
      reports: 0,
      proposalConflictsHanded: 0,
      offenders: 0,
      evidenceFinalized: 0,
      reorgedBlocks: 0,
    };
    for (let seed = 1; seed <= CI_SEEDS; seed++) {
      const r = simulate(campaignRun(seed, true));
      if (r.violation) expect.fail(`seed ${seed}: ${r.violation.message} — replay: ${replayCommand(seed, true)}`);
      expect(r.highestFinalized, `seed ${seed}`).to.be.greaterThan(r.heightAtGst);
      // Reorgs stayed inside the confirmation window, clocks within the drift rule.
      expect(r.l1.deepestReorg, `seed ${seed}`).to.be.at.most(r.l1.confirmations);
      expect(Math.max(...r.clockSkewsMs) - Math.min(...r.clockSkewsMs)).to.be.below(2000);
      const b = r.byzantine!;
      total.finalized += r.highestFinalized;
      total.setChanges += r.epochSets > 1 ? 1 : 0;
      total.transactions += r.transactions;
      total.synced += r.sync.importedBlocks;
      total.liarPenalties += r.sync.liarPenalties;
      total.twinProposals += b.twinProposals;
      total.conflictingVotes += b.conflictingVotes;
      total.fakeValidRounds += b.fakeValidRounds;
      total.overBudget += b.overBudget;
      total.wireRefused += b.wireRefused;
      total.replayed += b.replayed;
      total.conflictsHanded += r.equivocations.votes;
      total.reports += r.equivocations.reports;
      total.proposalConflictsHanded += r.equivocations.proposals;
      total.offenders += r.equivocations.offenders;
      total.evidenceFinalized += r.equivocations.evidenceFinalized;
      total.reorgedBlocks += r.l1.reorgedBlocks;
    }
    // Not vacuous: blocks were finalized, the elected set moved between epochs, clients' transactions
    // were included, killed or cut-off nodes caught up through node/sync and the liar was caught...
    expect(total.finalized).to.be.greaterThan(CI_SEEDS * 5);
    expect(total.setChanges).to.be.greaterThan(CI_SEEDS / 2);
    expect(total.transactions).to.be.greaterThan(CI_SEEDS * 5);
    expect(total.synced).to.be.greaterThan(CI_SEEDS);
    expect(total.liarPenalties).to.be.greaterThan(CI_SEEDS);
    // ...every attack was made, many times over, and honest nodes were handed the equivocations
    // (each conflicting vote reported, or the run would have failed on "evidence")...
    expect(total.twinProposals).to.be.greaterThan(CI_SEEDS);
    expect(total.conflictingVotes).to.be.greaterThan(CI_SEEDS * 5);
    expect(total.fakeValidRounds).to.be.greaterThan(CI_SEEDS / 20);
    expect(total.overBudget).to.be.greaterThan(CI_SEEDS / 2);
    expect(total.wireRefused).to.be.greaterThan(CI_SEEDS / 10);
    expect(total.replayed).to.be.greaterThan(CI_SEEDS * 5);
    expect(total.conflictsHanded).to.be.greaterThan(CI_SEEDS * 5);
    expect(total.reports).to.be.greaterThan(CI_SEEDS * 5);
    expect(total.proposalConflictsHanded).to.be.greaterThan(CI_SEEDS);
    // ...and became evidence in finalized blocks (each offender seen after GST, or the run failed).
    expect(total.offenders).to.be.greaterThan(CI_SEEDS / 2);
    expect(total.evidenceFinalized).to.be.greaterThan(CI_SEEDS);
    // ...and L1 reorganised under the nodes.
    expect(total.reorgedBlocks).to.be.greaterThan(CI_SEEDS);
  });

  it("catches an L1 reorg one block deeper than the confirmations (a confirmed anchor vanished)", () => {
    const r = firstViolation({ ...SHORT, l1Reorgs: "beyond" }, 1, 50);
    // Whichever check meets the vanished anchor first: a block refused by an honest node, or the anchor audit.
    expect(r?.violation?.invariant).to.be.oneOf(["validity", "l1-anchor", "honest-reject"]);
    expect(r?.violation?.message).to.match(/ANCHOR|anchors L1 block/);
  });

  it("catches equivocation evidence that never reaches a finalized block (nodes without an evidence pool)", () => {
    const r = firstViolation({ ...SHORT, byzantine: true, withoutEvidencePool: true }, 1, 10);
    expect(r?.violation?.message).to.match(
      /^evidence: node \d+ saw 0x[0-9a-f]{40} equivocate at \d+ ms; no finalized block holds evidence against it/,
    );
  });

  it("catches lost equivocation reports (the evidence invariant)", () => {
    const r = firstViolation({ ...SHORT, byzantine: true, loseEquivocationReports: true }, 1, 10);
    expect(r?.violation?.invariant).to.equal("evidence");
    expect(r?.violation?.message).to.match(
      /was handed \d+\/(prevote|precommit)\/0x[0-9a-f]{40} for .* and reported no equivocation/,
    );
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

  it("catches a quorum of f+1 instead of 2f+1 (agreement invariant, with the certificate checks off)", () => {
    // Two partitions of f+1 can each decide: some seed among the first 100 splits it that way.
    const r = firstViolation(
      { ...SHORT, faults: { weakQuorum: true }, checkHonestRejects: false, checkValidity: false },
      1,
      100,
      "agreement",
    );
    expect(r?.violation?.message).to.match(/^agreement: node \d+ finalized 0x[0-9a-f]{64} at height \d+/);
  });

  it("catches the weak quorum through its certificates: honest nodes reject them", () => {
    const r = firstViolation({ ...SHORT, faults: { weakQuorum: true }, checkValidity: false }, 1, 10);
    expect(r?.violation?.invariant).to.equal("honest-reject");
  });

  it("catches the weak quorum through its certificates: the validity check refuses them", () => {
    const r = firstViolation({ ...SHORT, faults: { weakQuorum: true } }, 1, 10);
    expect(r?.violation?.message).to.match(
      /^validity: node \d+ finalized an invalid block at height \d+: .*CERTIFICATE_NO_QUORUM/,
    );
  });
});
