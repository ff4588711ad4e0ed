import { expect } from "chai";
import { evidenceRoot } from "../../node/chain/bodyRoots";
import { applyFinalizedBlock } from "../../node/chain/chainState";
import { encodeEvidence } from "../../node/chain/evidence";
import { EvidencePool } from "../../node/chain/evidencePool";
import { sealBlock } from "../../node/chain/produceBlock";
import { mineSync } from "../../node/sim/instantMiner";
import { fixture, honestBlock, keyOf } from "../../node/testing/chainFixture";
import { doubleProposal, doubleVote } from "../../node/testing/evidence";

describe("EvidencePool", () => {
  it("keeps verified evidence once per offence, refuses forged evidence unbuffered, ignores untimely evidence", () => {
    const f = fixture();
    const pool = new EvidencePool(f.config);
    const vote = doubleVote(f, f.keys[0]);
    expect(pool.add(f.state, vote).verdict).to.equal("accept");
    expect(pool.add(f.state, vote)).to.include({ verdict: "ignore" });
    expect(pool.add(f.state, doubleVote(f, f.keys[0], { kind: "precommit" }))).to.deep.include({ verdict: "ignore" });
    expect(pool.add(f.state, doubleProposal(f, f.keys[0])).verdict).to.equal("accept");
    expect(pool.add(f.state, { ...doubleVote(f, f.keys[1]), signer: f.keys[2].address }).verdict).to.equal("reject");
    expect(pool.add(f.state, doubleVote(f, f.keys[4])).verdict).to.equal("reject"); // not a member
    expect(pool.add(f.state, doubleVote(f, f.keys[1], { height: 5 })).verdict).to.equal("ignore"); // future
    expect(pool.size).to.equal(2);
  });

  it("is bounded in count and in bytes", () => {
    const f = fixture();
    const byCount = new EvidencePool(f.config, { maxCount: 2, maxBytes: 1 << 20 });
    const pieces = [0, 1, 2].map((i) => doubleVote(f, f.keys[i]));
    expect(pieces.map((e) => byCount.add(f.state, e).verdict)).to.deep.equal(["accept", "accept", "ignore"]);
    const oneBytes = encodeEvidence(pieces[0]).length;
    const byBytes = new EvidencePool(f.config, { maxCount: 100, maxBytes: 2 * oneBytes + 1 });
    expect(pieces.map((e) => byBytes.add(f.state, e).verdict)).to.deep.equal(["accept", "accept", "ignore"]);
  });

  it("drops evidence once its offence is committed, and once it has expired", () => {
    const f = fixture({ maxEvidenceAgeBlocks: 2 });
    const pool = new EvidencePool(f.config);
    const committed = doubleVote(f, f.keys[0]);
    const waiting = doubleVote(f, f.keys[1]);
    pool.add(f.state, committed);
    pool.add(f.state, waiting);
    const block = honestBlock(f);
    const header = mineSync({ ...block.header, evidenceRoot: evidenceRoot([committed]), nonce: 0n }, 1_000_000)!;
    applyFinalizedBlock(
      f.config,
      f.state,
      sealBlock(f.config, header, { ...block.body, evidence: [committed] }, keyOf(f, header.proposer)),
    );
    pool.prune(f.state);
    expect(pool.pending()).to.deep.equal([waiting]);
    applyFinalizedBlock(f.config, f.state, honestBlock(f));
    pool.prune(f.state);
    expect(pool.pending()).to.deep.equal([waiting]); // height 1 is 2 blocks below 3: still in time
    applyFinalizedBlock(f.config, f.state, honestBlock(f));
    pool.prune(f.state);
    expect(pool.pending()).to.deep.equal([]); // height 1 is older than 2 blocks below 4
  });
});
