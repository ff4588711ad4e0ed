import { expect } from "chai";
import { ZERO_HASH } from "../../node/chain/bytes";
import { commitCertificateHash, decodeCommitCertificate, encodeCommitCertificate } from "../../node/chain/certificate";
import { applyFinalizedBlock } from "../../node/chain/chainState";
import { ChainError, ChainErrorCode } from "../../node/chain/errors";
import { HeadCommit } from "../../node/consensus/headCommit";
import { sealBlock } from "../../node/chain/produceBlock";
import { signDigest } from "../../node/chain/signing";
import type { Block, CommitCertificate } from "../../node/chain/types";
import { verifyBlock } from "../../node/chain/verifyBlock";
import { voteDigest } from "../../node/chain/voteDigest";
import { decodeConsensusMessage, encodeConsensusMessage } from "../../node/consensus/messageCodec";
import { mineSync } from "../../node/sim/instantMiner";
import { decodeStoredBlock, encodeStoredBlock } from "../../node/store/finalizedBlockCodec";
import { certify } from "../../node/testing/certifiedChain";
import { fixture, honestBlock, keyOf, parentCommit, type Fixture } from "../../node/testing/chainFixture";
import type { Hex } from "../../node/types/primitives";

/** Block 1 applied: block 2 must carry block 1's commit, by the genesis set (keys 1–4). */
function atHeightOne(): Fixture {
  const f = fixture();
  applyFinalizedBlock(f.config, f.state, honestBlock(f));
  return f;
}

function precommit(f: Fixture, keyIndex: number, hash = f.state.headHash, height = f.state.height): Hex {
  return signDigest(voteDigest("precommit", f.genesis.chainId, height, 0, hash), f.keys[keyIndex].privateKey);
}

function refusal(f: Fixture, block: Block): string {
  try {
    verifyBlock(f.config, f.state, block, { source: f.l1, nowMs: null });
  } catch (err) {
    expect(err).to.be.instanceOf(ChainError);
    expect((err as ChainError).type.code).to.equal(ChainErrorCode.BAD_LAST_COMMIT);
    return (err as Error).message;
  }
  return expect.fail("verifyBlock accepted the block");
}

/** A block 2 whose proposer carries `lastCommit` (committed correctly in its header). */
function carrying(f: Fixture, lastCommit: CommitCertificate | null): Block {
  return honestBlock(f, { lastCommit });
}

describe("lastCommit: block h + 1 carries the commit certificate of block h", () => {
  it("an honest block carries its parent's precommits, committed in the header, and verifies", () => {
    const f = atHeightOne();
    const block = honestBlock(f);
    expect(block.body.lastCommit).to.include({ height: 1, blockHash: f.state.headHash });
    expect(block.body.lastCommit!.signatures).to.have.length(4);
    expect(block.header.lastCommitHash).to.equal(commitCertificateHash(block.body.lastCommit));
    verifyBlock(f.config, f.state, block, { source: f.l1, nowMs: null });
    // Block 1 carries none: its parent is genesis.
    expect(honestBlock(fixture()).body.lastCommit).to.equal(null);
    expect(honestBlock(fixture()).header.lastCommitHash).to.equal(ZERO_HASH);
  });

  const signed = (f: Fixture, ...keys: number[]) => ({
    height: 1,
    round: 0,
    blockHash: f.state.headHash,
    signatures: keys.map((k) => precommit(f, k)),
  });

  const attacks: { id: string; commit: (f: Fixture) => CommitCertificate | null; says: string }[] = [
    { id: "none at all", commit: () => null, says: "missing" },
    { id: "short: 2 of 4 precommits", commit: (f) => signed(f, 0, 1), says: "2 signers, a quorum is 3 of 4" },
    {
      id: "forged: a non-member's signature makes up the third",
      commit: (f) => signed(f, 0, 1, 5),
      says: "signature 2 is no member's precommit",
    },
    {
      id: "a member's precommit for another block",
      commit: (f) => ({ ...signed(f, 0, 1), signatures: [...signed(f, 0, 1).signatures, precommit(f, 2, ZERO_HASH)] }),
      says: "signature 2 is no member's precommit",
    },
    {
      id: "garbage bytes as a signature",
      commit: (f) => ({ ...signed(f, 0, 1), signatures: [...signed(f, 0, 1).signatures, `0x${"ab".repeat(65)}`] }),
      says: "signature 2 is no member's precommit",
    },
    {
      id: "a duplicated signer padding a short commit",
      commit: (f) => ({ ...signed(f, 0, 1), signatures: [...signed(f, 0, 1).signatures, precommit(f, 1)] }),
      says: "signature 2 repeats signer",
    },
    {
      id: "more signatures than members",
      commit: (f) => ({ ...signed(f, 0, 1, 2, 3), signatures: [...signed(f, 0, 1, 2, 3).signatures, precommit(f, 0)] }),
      says: "5 signatures for a set of 4",
    },
    {
      id: "a valid quorum for another block at the parent's height",
      commit: (f) => ({
        height: 1,
        round: 0,
        blockHash: ZERO_HASH,
        signatures: [0, 1, 2].map((k) => precommit(f, k, ZERO_HASH)),
      }),
      says: "commits 1/0x0000",
    },
  ];
  for (const attack of attacks) {
    it(`refuses a block whose lastCommit is ${attack.id}`, () => {
      const f = atHeightOne();
      expect(refusal(f, carrying(f, attack.commit(f)))).to.include(attack.says);
    });
  }

  it("refuses a lastCommit the header does not commit to (swapped after sealing)", () => {
    const f = atHeightOne();
    const honest = honestBlock(f);
    const swapped = { ...honest, body: { ...honest.body, lastCommit: signed(f, 0, 1, 2) } };
    expect(refusal(f, swapped)).to.include("header lastCommitHash");
  });

  it("refuses a lastCommit in block 1, whose parent is genesis", () => {
    const f = fixture();
    const fake = { height: 0, round: 0, blockHash: f.state.headHash, signatures: [] };
    const template = honestBlock(f);
    const header = mineSync({ ...template.header, lastCommitHash: commitCertificateHash(fake), nonce: 0n }, 1_000_000)!;
    const block = sealBlock(f.config, header, { ...template.body, lastCommit: fake }, keyOf(f, header.proposer));
    expect(refusal(f, block)).to.include("block 1 has no parent to commit");
  });

  it("the proposer's canonical form keeps one valid precommit per member, in the set's order", () => {
    const f = atHeightOne();
    const messy = {
      height: 1,
      round: 0,
      blockHash: f.state.headHash,
      signatures: [precommit(f, 2), precommit(f, 5), precommit(f, 0), precommit(f, 2), `0x${"ab".repeat(65)}` as Hex],
    };
    const canonical = new HeadCommit(f.genesis.chainId, messy, f.genesis.representatives).canonical();
    expect(canonical.signatures).to.deep.equal([precommit(f, 0), precommit(f, 2)]);
  });

  it("travels in the stored and the wire format byte for byte, and a malformed encoding is refused", () => {
    const f = atHeightOne();
    const finalized = certify(f, honestBlock(f));
    expect(decodeStoredBlock(encodeStoredBlock(finalized))).to.deep.equal(finalized);
    const wire = decodeConsensusMessage(encodeConsensusMessage({ type: "commit", finalized }));
    expect(wire).to.deep.equal({ type: "commit", finalized });
    const bytes = encodeCommitCertificate(parentCommit(f)!);
    expect(decodeCommitCertificate(bytes)).to.deep.equal(parentCommit(f));
    expect(() => decodeCommitCertificate(bytes.subarray(0, bytes.length - 1))).to.throw(RangeError, "is 307 bytes");
    const huge = Uint8Array.from(bytes);
    huge.set([0, 0, 4, 1], 44); // 1,025 signatures claimed
    expect(() => decodeCommitCertificate(huge)).to.throw(RangeError, "1025 signatures > 1024");
  });
});
