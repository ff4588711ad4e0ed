import { expect } from "chai";
import { randomBytes } from "node:crypto";
import {
  checkPowAnswer,
  expectedPowHashes,
  makeSignatureBatch,
  meetsDifficulty,
  powDigest,
  ratePerSecond,
  solvePow,
  verifySignatureBatch,
} from "../../node/qualification/challenge";
import type { Address, Hex } from "../../node/types/primitives";

const SEED = `0x${"5e".repeat(32)}` as Hex;
const CANDIDATE = "0x00000000000000000000000000000000000000c1" as Address;
const SPEC = { powDifficultyBits: 6, powSolutions: 5, signatureCount: 37 };
const random = (n: number) => new Uint8Array(randomBytes(n));

describe("qualification challenge: proof of work and signature judging", function () {
  it("counts leading zero bits across byte boundaries", function () {
    expect(meetsDifficulty(Uint8Array.from([0, 0x0f, 0xff]), 12)).to.equal(true);
    expect(meetsDifficulty(Uint8Array.from([0, 0x1f, 0xff]), 12)).to.equal(false);
    expect(meetsDifficulty(Uint8Array.from([0x80]), 0)).to.equal(true);
    expect(meetsDifficulty(Uint8Array.from([0, 0]), 16)).to.equal(true);
  });

  it("solves with the smallest solving nonces, which the checker accepts", function () {
    const nonces = solvePow(SEED, CANDIDATE, SPEC);
    expect(nonces).to.have.length(SPEC.powSolutions);
    expect(checkPowAnswer(SEED, CANDIDATE, SPEC, nonces)).to.equal(undefined);
    // Every nonce below the last one that is not in the answer does not solve: they are the smallest.
    for (let n = 0n; n < nonces[nonces.length - 1]; n++) {
      const solves = meetsDifficulty(powDigest(SEED, CANDIDATE, n), SPEC.powDifficultyBits);
      expect(solves, `nonce ${n}`).to.equal(nonces.includes(n));
    }
  });

  it("rejects a short answer, a repeated nonce, a non-solution and another candidate's work", function () {
    const nonces = solvePow(SEED, CANDIDATE, SPEC);
    expect(checkPowAnswer(SEED, CANDIDATE, SPEC, nonces.slice(1))).to.contain("expected 5 nonces, got 4");
    const repeated = [nonces[0], nonces[0], ...nonces.slice(2)];
    expect(checkPowAnswer(SEED, CANDIDATE, SPEC, repeated)).to.contain("is not above nonce 0");
    const other = "0x00000000000000000000000000000000000000c2" as Address;
    expect(checkPowAnswer(SEED, other, SPEC, nonces)).to.match(/does not meet 6 zero bits/);
    expect(checkPowAnswer(`0x${"00".repeat(32)}`, CANDIDATE, SPEC, nonces)).to.match(/does not meet/);
  });

  it("judges a signature batch exactly as its maker marked it, with unused bits clear", function () {
    for (let round = 0; round < 3; round++) {
      const { batch, validBitmap } = makeSignatureBatch(SEED, SPEC.signatureCount, random);
      expect(batch.signatures).to.have.length(SPEC.signatureCount);
      expect(verifySignatureBatch(SEED, batch)).to.equal(validBitmap);
      expect(validBitmap.length).to.equal(2 + 2 * Math.ceil(SPEC.signatureCount / 8));
    }
  });

  it("cannot be judged against another seed: the messages derive from it", function () {
    const { batch, validBitmap } = makeSignatureBatch(SEED, 64, random);
    // Against other messages every signature is invalid, so the bitmap is all zero (unless none were valid).
    const elsewhere = verifySignatureBatch(`0x${"00".repeat(32)}`, batch);
    expect(elsewhere).to.equal(`0x${"00".repeat(8)}`);
    expect(validBitmap).to.not.equal(elsewhere);
  });

  it("derives rates from the work and the elapsed milliseconds", function () {
    expect(expectedPowHashes(SPEC)).to.equal(5n * 64n);
    expect(ratePerSecond(320n, 100n)).to.equal(3_200n);
    expect(ratePerSecond(320n, 0n), "a zero interval counts as 1 ms").to.equal(320_000n);
  });
});
