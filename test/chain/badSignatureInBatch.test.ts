import { expect } from "chai";
import { txRoot } from "../../node/chain/bodyRoots";
import { toHex } from "../../node/chain/bytes";
import { verifyCertificate } from "../../node/chain/certificate";
import { ChainError, ChainErrorCode } from "../../node/chain/errors";
import { sealBlock } from "../../node/chain/produceBlock";
import { clearRecoveryCache, recoverSigner, signDigest } from "../../node/chain/signing";
import { signTransaction, transactionDigest, type Transaction } from "../../node/chain/transaction";
import type { Block, CommitCertificate } from "../../node/chain/types";
import { verifyBlock } from "../../node/chain/verifyBlock";
import { voteDigest } from "../../node/chain/voteDigest";
import { mineSync } from "../../node/sim/instantMiner";
import { fixture, honestBlock, keyOf, type Fixture } from "../../node/testing/chainFixture";
import { testKey } from "../../node/testing/keys";
import type { Hex } from "../../node/types/primitives";

/**
 * The speed-ups of sync (a memo keyed by
 * signature, stopping a certificate at its quorum) must not let one bad signature through when it
 * hides among many good ones, nor let a good signature vouch for another message.
 */
const BAD = 37;

/** A block of 50 transactions of one sender whose transaction BAD is signed by another key. */
function blockWithOneBadTransaction(f: Fixture): Block {
  const chainId = f.config.genesis.chainId;
  const txs: Transaction[] = Array.from({ length: 50 }, (_, i) =>
    signTransaction(chainId, f.keys[5], BigInt(i), "0x01"),
  );
  const forged = { from: txs[BAD].from, nonce: txs[BAD].nonce, payload: txs[BAD].payload };
  txs[BAD] = { ...forged, signature: signDigest(transactionDigest(chainId, forged), f.keys[4].privateKey) };
  const block = honestBlock(f);
  const header = mineSync({ ...block.header, txRoot: txRoot(txs), nonce: 0n }, 1_000_000)!;
  return sealBlock(f.config, header, { ...block.body, transactions: txs }, keyOf(f, header.proposer));
}

function rejection(fn: () => void): ChainError["type"] {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(ChainError);
    return (err as ChainError).type;
  }
  return expect.fail("accepted") as never;
}

/** 7 members; precommits of the first 5, the one at `badAt` signed over another block hash. */
function certificateWithOneBadPrecommit(blockHash: Hex, badAt: number): { cert: CommitCertificate; members: Hex[] } {
  const keys = [1, 2, 3, 4, 5, 6, 7].map(testKey);
  const other = `0x${"ee".repeat(32)}` as Hex;
  const signatures = keys
    .slice(0, 5)
    .map((k, i) => signDigest(voteDigest("precommit", 1337n, 1, 0, i === badAt ? other : blockHash), k.privateKey));
  return { cert: { height: 1, round: 0, blockHash, signatures }, members: keys.map((k) => k.address) };
}

describe("a bad signature inside a large batch", () => {
  beforeEach(() => clearRecoveryCache());

  it("finds the one badly signed transaction among 50, recovering on the main thread", () => {
    const f = fixture();
    const block = blockWithOneBadTransaction(f);
    const type = rejection(() => verifyBlock(f.config, f.state, block, { source: f.l1, nowMs: null }));
    expect(type).to.include({ code: ChainErrorCode.BAD_TRANSACTION, index: BAD });
  });

  it("recovers the forged signer, and nobody for a high-s twin, a bad v, a short or a zero signature", () => {
    const f = fixture();
    const chainId = f.config.genesis.chainId;
    const block = blockWithOneBadTransaction(f);
    const items = block.body.transactions.map((tx) => ({
      digest: transactionDigest(chainId, tx),
      signature: tx.signature,
    }));
    const good = items[0];
    const sig = Buffer.from(good.signature.slice(2), "hex");
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const s = BigInt(`0x${sig.subarray(32, 64).toString("hex")}`);
    const twin = Buffer.concat([
      sig.subarray(0, 32),
      Buffer.from((n - s).toString(16).padStart(64, "0"), "hex"),
      Buffer.from([sig[64] ^ 1]),
    ]);
    const vBad = Buffer.from(sig);
    vBad[64] = 29;
    items.push(
      { digest: good.digest, signature: toHex(twin) },
      { digest: good.digest, signature: toHex(vBad) },
      { digest: good.digest, signature: "0x1234" },
      { digest: good.digest, signature: `0x${"00".repeat(64)}1b` },
    );
    const inline = items.map((i) => recoverSigner(i.digest, i.signature));
    // Asked again, the memo answers the same.
    expect(items.map((i) => recoverSigner(i.digest, i.signature))).to.deep.equal(inline);
    expect(inline[BAD]).to.equal(f.keys[4].address);
    expect(inline.slice(50)).to.deep.equal([null, null, null, null]);
  });

  it("a remembered signature does not vouch for another digest (memo poisoning)", () => {
    const key = testKey(1);
    const a = voteDigest("precommit", 1337n, 1, 0, `0x${"aa".repeat(32)}`);
    const b = voteDigest("precommit", 1337n, 1, 0, `0x${"bb".repeat(32)}`);
    const signature = signDigest(a, key.privateKey);
    expect(recoverSigner(a, signature)).to.equal(key.address); // now in the memo
    expect(recoverSigner(b, signature)).to.not.equal(key.address);
    expect(recoverSigner(a, signature)).to.equal(key.address);
  });

  it("a certificate of 5 precommits of 7 with one bad is short of its quorum, the bad one first or last", () => {
    const hash = `0x${"cd".repeat(32)}` as Hex;
    for (const badAt of [0, 4]) {
      clearRecoveryCache();
      const { cert, members } = certificateWithOneBadPrecommit(hash, badAt);
      const type = rejection(() => verifyCertificate(1337n, cert, 1, hash, members));
      expect(type).to.include({ code: ChainErrorCode.CERTIFICATE_NO_QUORUM, counted: 4, needed: 5 });
    }
  });

  it("a certificate stops at its quorum: what follows cannot undo it, and a good one passes", () => {
    const hash = `0x${"cd".repeat(32)}` as Hex;
    const { cert, members } = certificateWithOneBadPrecommit(hash, 99);
    verifyCertificate(1337n, cert, 1, hash, members);
    verifyCertificate(
      1337n,
      { ...cert, signatures: [...cert.signatures, "0x1234", cert.signatures[0]] },
      1,
      hash,
      members,
    );
  });
});
