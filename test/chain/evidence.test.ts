import { expect } from "chai";
import { ZERO_HASH } from "../../node/chain/bytes";
import {
  decodeEvidence,
  encodeEvidence,
  evidenceHash,
  MAX_EVIDENCE_BYTES,
  verifyEvidence,
  type Evidence,
  type EvidenceHalf,
} from "../../node/chain/evidence";
import { doubleProposal, doubleVote, voteHalf } from "../../node/testing/evidence";
import { certifiedChain } from "../../node/testing/certifiedChain";
import { fixture, type Fixture } from "../../node/testing/chainFixture";

function refusal(f: Fixture, e: Evidence): string {
  try {
    verifyEvidence(f.config, f.state, e);
  } catch (err) {
    return (err as Error).message;
  }
  return "accepted";
}

describe("equivocation evidence: encoding and hash", () => {
  it("one canonical encoding and one hash for both orders of the pair; decode gives it back", () => {
    const f = fixture();
    const e = doubleVote(f, f.keys[0]);
    const swapped: Evidence = { ...e, a: e.b, b: e.a };
    expect(evidenceHash(swapped)).to.equal(evidenceHash(e));
    expect(decodeEvidence(encodeEvidence(swapped))).to.deep.equal(e);
    const p = doubleProposal(f, f.keys[0]);
    expect(encodeEvidence(p).length).to.equal(MAX_EVIDENCE_BYTES);
    expect(decodeEvidence(encodeEvidence(p))).to.deep.equal(p);
    expect(encodeEvidence(e).length).to.be.below(MAX_EVIDENCE_BYTES);
  });

  it("decode refuses a wrong length, an unknown kind and halves out of order (a second encoding of one pair)", () => {
    const f = fixture();
    const bytes = encodeEvidence(doubleVote(f, f.keys[0]));
    expect(() => decodeEvidence(bytes.subarray(0, bytes.length - 1))).to.throw(
      /prevote evidence is 226 bytes, expected 227/,
    );
    expect(() => decodeEvidence(Uint8Array.from([...bytes, 0]))).to.throw(/228 bytes, expected 227/);
    expect(() => decodeEvidence(Uint8Array.from([9, ...bytes.subarray(1)]))).to.throw(/kind byte 9/);
    const swapped = Uint8Array.from([...bytes.subarray(0, 33), ...bytes.subarray(130), ...bytes.subarray(33, 130)]);
    expect(() => decodeEvidence(swapped)).to.throw(/ascending order/);
  });
});

describe("equivocation evidence: verifyEvidence refuses every forged variant", () => {
  it("accepts two conflicting prevotes, precommits (one of them nil) and proposals of a member", () => {
    const f = fixture();
    expect(refusal(f, doubleVote(f, f.keys[1]))).to.equal("accepted");
    expect(refusal(f, doubleVote(f, f.keys[1], { kind: "precommit", hashB: ZERO_HASH }))).to.equal("accepted");
    expect(refusal(f, doubleProposal(f, f.keys[2]))).to.equal("accepted");
  });

  it("a bad signature: one half signed by another member", () => {
    const f = fixture();
    const e = doubleVote(f, f.keys[0]);
    const forged = { ...e, b: voteHalf(f, f.keys[1], "prevote", 1, 0, e.b.blockHash) };
    expect(refusal(f, forged)).to.match(/signature b recovers to 0x[0-9a-f]{40}, expected signer/);
  });

  it("a signature over another round or kind than the evidence claims", () => {
    const f = fixture();
    const e = doubleVote(f, f.keys[0]);
    expect(refusal(f, { ...e, round: 1 })).to.match(/signature a recovers to .*expected signer/);
    expect(refusal(f, { ...e, kind: "precommit" })).to.match(/signature a recovers to .*expected signer/);
  });

  it("malformed and high-s signatures recover to nothing", () => {
    const f = fixture();
    const e = doubleVote(f, f.keys[0]);
    const junk = { ...e, a: { ...e.a, signature: `0x${"00".repeat(65)}` as EvidenceHalf["signature"] } };
    expect(refusal(f, junk)).to.match(/signature a recovers to nothing/);
    // The malleable twin of a valid signature: s → n − s, v flipped. Same signer on the curve, refused.
    const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const sig = e.a.signature.slice(2);
    const s2 = (N - BigInt(`0x${sig.slice(64, 128)}`)).toString(16).padStart(64, "0");
    const v2 = sig.slice(128) === "1b" ? "1c" : "1b";
    const twin = { ...e, a: { ...e.a, signature: `0x${sig.slice(0, 64)}${s2}${v2}` as EvidenceHalf["signature"] } };
    expect(refusal(f, twin)).to.match(/signature a recovers to nothing/);
  });

  it("a signer not in the set of that height's epoch (a candidate's key, signing correctly)", () => {
    const f = fixture();
    expect(refusal(f, doubleVote(f, f.keys[4]))).to.match(/is not a representative of epoch 0/);
  });

  it("the same block hash twice is no equivocation", () => {
    const f = fixture();
    const e = doubleVote(f, f.keys[0]);
    expect(refusal(f, { ...e, b: e.a })).to.match(/both halves sign block/);
  });

  it("signatures made for another chain id", () => {
    const f = fixture();
    const e = doubleVote(f, f.keys[0], { chainId: f.config.genesis.chainId + 1n });
    expect(refusal(f, e)).to.match(/expected signer .* on chain/);
  });

  it("a height in the future, height 0, and a height older than maxEvidenceAgeBlocks", () => {
    const f = fixture({ maxEvidenceAgeBlocks: 2 });
    expect(refusal(f, doubleVote(f, f.keys[0], { height: 2 }))).to.match(/height 2 not in \[1, 1\]/);
    expect(refusal(f, doubleVote(f, f.keys[0], { height: 0 }))).to.match(/height 0 not in/);
    certifiedChain(f, 3); // f.state now at height 3: the next height is 4
    expect(refusal(f, doubleVote(f, f.keys[0], { height: 1 }))).to.match(
      /height 1 is older than maxEvidenceAgeBlocks 2 below 4/,
    );
    expect(refusal(f, doubleVote(f, f.keys[0], { height: 2 }))).to.equal("accepted");
  });

  it("vote evidence with a validRound (votes do not sign one) is refused", () => {
    const f = fixture();
    const e = doubleVote(f, f.keys[0]);
    expect(refusal(f, { ...e, a: { ...e.a, validRound: 3 } })).to.match(/validRound 3\/-1, expected −1/);
  });
});
