import { expect } from "chai";
import { evidenceRoot } from "../../node/chain/bodyRoots";
import { applyFinalizedBlock } from "../../node/chain/chainState";
import { ChainError, ChainErrorCode } from "../../node/chain/errors";
import type { Evidence } from "../../node/chain/evidence";
import { isJailedKey } from "../../node/chain/jail";
import { buildBlockTemplate, sealBlock } from "../../node/chain/produceBlock";
import type { Block } from "../../node/chain/types";
import { verifyBlock } from "../../node/chain/verifyBlock";
import { mineSync } from "../../node/sim/instantMiner";
import { fixture, honestBlock, keyOf, type Fixture } from "../../node/testing/chainFixture";
import { doubleProposal, doubleVote, HASH_B, voteHalf } from "../../node/testing/evidence";

/** The honest next block, but carrying `evidence` (root, PoW and seal redone: only the evidence is at stake). */
function blockWith(f: Fixture, evidence: readonly Evidence[]): Block {
  const block = honestBlock(f);
  const header = mineSync({ ...block.header, evidenceRoot: evidenceRoot(evidence), nonce: 0n }, 1_000_000)!;
  return sealBlock(f.config, header, { ...block.body, evidence }, keyOf(f, header.proposer));
}

function refusal(f: Fixture, block: Block): string {
  try {
    verifyBlock(f.config, f.state, block, { source: f.l1, nowMs: null });
  } catch (err) {
    expect(err).to.be.instanceOf(ChainError);
    return (err as ChainError).message;
  }
  return "accepted";
}

describe("evidence in blocks", () => {
  it("an honest proposer includes valid pending evidence, one per offence, and leaves out forged and committed evidence", () => {
    const f = fixture();
    const vote = doubleVote(f, f.keys[1]);
    const again = doubleVote(f, f.keys[1], { kind: "precommit" }); // the same offence (a vote double-sign)
    const proposal = doubleProposal(f, f.keys[1]); // another offence of the same key
    const forged = { ...doubleVote(f, f.keys[2]), signer: f.keys[3].address };
    const template = buildBlockTemplate(f.config, f.state, {
      proposer: f.state.representatives[1].address,
      round: 0,
      nowMs: f.state.headTimestamp + 1000,
      source: f.l1,
      transactions: [],
      maxEvents: 10,
      evidence: [vote, again, forged, proposal],
      lastCommit: null, // height 1: the parent is genesis
    });
    expect(template.body.evidence).to.deep.equal([vote, proposal]);
    expect(template.header.evidenceRoot).to.equal(evidenceRoot([vote, proposal]));
  });

  it("verifyBlock accepts valid evidence; applying the block jails the signer and nobody else", () => {
    const f = fixture();
    const block = blockWith(f, [doubleVote(f, f.keys[2])]);
    expect(refusal(f, block)).to.equal("accepted");
    applyFinalizedBlock(f.config, f.state, block);
    expect(isJailedKey(f.state, f.keys[2].address)).to.equal(true);
    for (const i of [0, 1, 3, 4, 5]) expect(isJailedKey(f.state, f.keys[i].address), `key ${i}`).to.equal(false);
  });

  it("refuses a wrong evidenceRoot", () => {
    const f = fixture();
    const block = blockWith(f, [doubleVote(f, f.keys[2])]);
    const header = mineSync({ ...block.header, evidenceRoot: evidenceRoot([]), nonce: 0n }, 1_000_000)!;
    const lying = sealBlock(f.config, header, block.body, keyOf(f, header.proposer));
    expect(refusal(f, lying)).to.include(ChainErrorCode.WRONG_EVIDENCE_ROOT);
  });

  it("refuses forged evidence a proposer puts in its block: an honest node cannot be jailed by it", () => {
    const f = fixture();
    const honest = f.keys[0];
    // The attacker (key 2, a member) signs both halves and names the honest key as the signer.
    const e = doubleVote(f, f.keys[2]);
    expect(refusal(f, blockWith(f, [{ ...e, signer: honest.address }]))).to.match(
      /evidence 0: signature a recovers to/,
    );
    // One genuine vote of the honest key and one forged half.
    const genuine = voteHalf(f, honest, "prevote", 1, 0, HASH_B);
    const mixed = { ...e, signer: honest.address, b: genuine };
    expect(refusal(f, blockWith(f, [mixed]))).to.match(/evidence 0: signature a recovers to/);
    expect(isJailedKey(f.state, honest.address)).to.equal(false);
  });

  it("refuses the same offence twice in one block, and again once it is committed", () => {
    const f = fixture();
    const vote = doubleVote(f, f.keys[2]);
    const precommits = doubleVote(f, f.keys[2], { kind: "precommit" });
    expect(refusal(f, blockWith(f, [vote, vote]))).to.match(/evidence 1: a second piece for offence/);
    expect(refusal(f, blockWith(f, [vote, precommits]))).to.match(/evidence 1: a second piece for offence/);
    const block = blockWith(f, [vote]);
    applyFinalizedBlock(f.config, f.state, block);
    expect(refusal(f, blockWith(f, [vote]))).to.match(/evidence 0: offence .* already committed/);
    expect(refusal(f, blockWith(f, [precommits]))).to.match(/evidence 0: offence .* already committed/);
    // A proposal double-sign is another offence (L1 does not slash it): still accepted.
    expect(refusal(f, blockWith(f, [doubleProposal(f, f.keys[2])]))).to.equal("accepted");
  });

  it("refuses more than MAX_EVIDENCE_PER_BLOCK pieces", () => {
    const f = fixture();
    const many = Array.from({ length: 33 }, (_, i) => doubleVote(f, f.keys[i % 4], { round: i }));
    expect(refusal(f, blockWith(f, many))).to.match(/33 pieces > MAX_EVIDENCE_PER_BLOCK 32/);
  });
});
