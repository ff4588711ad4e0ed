import { expect } from "chai";
import { countCertifiers, verifyCertificate } from "../../node/chain/certificate";
import { ChainError, ChainErrorCode } from "../../node/chain/errors";
import { signDigest, type KeyPair } from "../../node/chain/signing";
import type { CommitCertificate } from "../../node/chain/types";
import { voteDigest } from "../../node/chain/voteDigest";
import type { Hex } from "../../node/types/primitives";
import { testKey } from "../../node/testing/keys";

const CHAIN = 1337n;
const HASH = `0x${"cd".repeat(32)}` as Hex;
const OTHER = `0x${"ef".repeat(32)}` as Hex;
const keys = [1, 2, 3, 4, 5, 6, 7, 8].map(testKey);
const members = keys.slice(0, 4).map((k) => k.address);

function precommit(
  key: KeyPair,
  height = 10,
  round = 1,
  hash: Hex = HASH,
  kind: "precommit" | "prevote" = "precommit",
): Hex {
  return signDigest(voteDigest(kind, CHAIN, height, round, hash), key.privateKey);
}

function cert(signatures: Hex[]): CommitCertificate {
  return { height: 10, round: 1, blockHash: HASH, signatures };
}

function noQuorum(c: CommitCertificate, set = members): number {
  try {
    verifyCertificate(CHAIN, c, 10, HASH, set);
  } catch (err) {
    expect((err as ChainError).type.code).to.equal(ChainErrorCode.CERTIFICATE_NO_QUORUM);
    return (err as ChainError & { type: { counted: number } }).type.counted;
  }
  return expect.fail("certificate accepted") as never;
}

describe("commit certificate", () => {
  it("accepts precommits of 3 of 4 distinct members (> 2/3)", () => {
    verifyCertificate(CHAIN, cert(keys.slice(0, 3).map((k) => precommit(k))), 10, HASH, members);
  });

  it("rejects 2 of 4", () => {
    expect(noQuorum(cert(keys.slice(0, 2).map((k) => precommit(k))))).to.equal(2);
  });

  it("counts a duplicated signature once", () => {
    const s = precommit(keys[0]);
    expect(noQuorum(cert([s, s, s, precommit(keys[1])]))).to.equal(2);
  });

  it("counts nothing for non-members (e.g. another epoch's set)", () => {
    expect(noQuorum(cert([precommit(keys[0]), precommit(keys[1]), precommit(keys[4]), precommit(keys[5])]))).to.equal(
      2,
    );
  });

  it("counts nothing for precommits over another height, round or hash, or for prevotes", () => {
    const wrong = [
      precommit(keys[2], 11),
      precommit(keys[2], 10, 2),
      precommit(keys[2], 10, 1, OTHER),
      precommit(keys[2], 10, 1, HASH, "prevote"),
    ];
    for (const w of wrong) expect(noQuorum(cert([precommit(keys[0]), precommit(keys[1]), w]))).to.equal(2);
  });

  it("counts nothing for garbage signatures", () => {
    expect(noQuorum(cert([precommit(keys[0]), precommit(keys[1]), "0x00", `0x${"ff".repeat(65)}`]))).to.equal(2);
  });

  it("rejects a certificate for another block or height", () => {
    const c = cert(keys.slice(0, 3).map((k) => precommit(k)));
    for (const [h, hash] of [
      [11, HASH],
      [10, OTHER],
    ] as const) {
      try {
        verifyCertificate(CHAIN, c, h, hash, members);
        expect.fail("accepted");
      } catch (err) {
        expect((err as ChainError).type.code).to.equal(ChainErrorCode.CERTIFICATE_WRONG_BLOCK);
      }
    }
  });

  it("needs 5 of 7 and 5 of 6 (strictly more than 2/3)", () => {
    const seven = keys.slice(0, 7).map((k) => k.address);
    expect(noQuorum(cert(keys.slice(0, 4).map((k) => precommit(k))), seven)).to.equal(4);
    verifyCertificate(CHAIN, cert(keys.slice(0, 5).map((k) => precommit(k))), 10, HASH, seven);
    expect(noQuorum(cert(keys.slice(0, 4).map((k) => precommit(k))), seven.slice(0, 6))).to.equal(4);
    expect(countCertifiers(CHAIN, cert(keys.map((k) => precommit(k))), seven)).to.have.length(7);
  });
});
