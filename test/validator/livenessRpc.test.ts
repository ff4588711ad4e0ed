import { expect } from "chai";
import type { LivenessReport } from "../../node/rpc/nodeView";
import { rpcCall, waitFor } from "../../node/testing/processCluster";
import { InProcessChain } from "../helpers/inProcessChain";

/**
 * Three of four representatives run (a quorum of exactly three): every counted commit must hold
 * precisely their precommits, so the record repchain_getLiveness reports is known in advance —
 * including the downtime jail of the fourth at the epoch's end.
 */
describe("repchain_getLiveness: the epoch's liveness and downtime record, with one of four representatives down", function () {
  this.timeout(180_000);
  const EPOCH_LENGTH = 4;
  const chain = new InProcessChain(4, { epochLength: EPOCH_LENGTH });
  before(async () => {
    await chain.setUp();
    for (const i of [0, 1, 2]) await chain.start(chain.keys[i], `rep${i}`);
  });
  after(() => chain.tearDown());

  it("counts the three running representatives in every commit, the stopped one in none, and jails it for downtime", async () => {
    const [running, down] = [chain.keys.slice(0, 3).map((k) => k.address), chain.keys[3].address];
    const node = chain.nodes[0];
    const liveness = () => rpcCall<LivenessReport>(node.rpcUrl, "repchain_getLiveness");
    let report!: LivenessReport;
    // Any epoch after the first, once one of its commits is counted. (Not two: the block rep3 would
    // propose waits a propose timeout, 2 s, and the chain sits at one counted commit all that time;
    // the next three blocks take 20 ms each, so a poll rarely saw two, and the test took 10-170 s.)
    await waitFor("an epoch after the first with a counted commit", 120_000, async () => {
      report = await liveness();
      return report.epoch >= 1 && report.commitsCounted >= 1;
    });
    const signed = new Map(report.representatives.map((r) => [r.signingKey, r.signedCommits]));
    for (const key of running) expect(signed.get(key), key).to.equal(report.commitsCounted);
    expect(signed.get(down)).to.equal(0);
    expect(report.active).to.include.members(running).and.not.include(down);
    expect(report.minSignedPermille).to.equal(chain.genesis.minSignedPermille);
    // The previous epoch's record: 0 of 3 commits < 5 %, so jailed through it + downtimeJailEpochs.
    expect(report.jailed).to.deep.include({
      signingKey: down,
      throughEpoch: report.epoch - 1 + chain.genesis.downtimeJailEpochs,
    });
    for (const key of running) expect(report.jailed.map((j) => j.signingKey)).to.not.include(key);
    // No candidate is registered, so no election can replace the set: it stays, the stopped key with it.
    expect(report.representatives.map((r) => r.signingKey)).to.include(down);
  });
});
