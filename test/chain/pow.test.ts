import { expect } from "chai";
import { concat, keccak256, toBeHex } from "ethers";
import { encodeHeader } from "../../node/chain/headerCodec";
import { MAX_TARGET, meetsTarget, powHash, retarget, sealHash } from "../../node/chain/pow";
import { fixture, honestBlock } from "../../node/testing/chainFixture";
import { epochOf, isLastOfEpoch, maxFaulty, proposerFor, quorum } from "../../node/chain/epochs";
import type { Address } from "../../node/types/primitives";

describe("proof of work", () => {
  it("a hash qualifies only strictly below the target", () => {
    const hash = `0x${"00".repeat(31)}10` as const;
    expect(meetsTarget(hash, 0x11n)).to.equal(true);
    expect(meetsTarget(hash, 0x10n)).to.equal(false);
  });

  it("the PoW hash is keccak256(keccak256(header without nonce) ‖ uint64 nonce), recomputed with ethers", () => {
    const header = { ...honestBlock(fixture()).header, nonce: 0x0102030405060708n };
    const bytes = encodeHeader(header);
    const seal = keccak256(bytes.subarray(0, bytes.length - 8));
    expect(`0x${Buffer.from(sealHash(header)).toString("hex")}`).to.equal(seal);
    expect(powHash(header)).to.equal(keccak256(concat([seal, toBeHex(header.nonce, 8)])));
    expect(powHash({ ...header, nonce: 0n })).to.not.equal(powHash(header));
  });

  const T = 1n << 200n;
  const cases = [
    { id: "on time: unchanged", actualMs: 10_000, expected: T },
    { id: "twice too slow: twice as easy", actualMs: 20_000, expected: T * 2n },
    { id: "twice too fast: twice as hard", actualMs: 5_000, expected: T / 2n },
    { id: "10× too slow: clamped at ×4", actualMs: 100_000, expected: T * 4n },
    { id: "100× too fast: clamped at ×¼", actualMs: 100, expected: T / 4n },
    { id: "zero span counts as 1 ms, still clamped", actualMs: 0, expected: T / 4n },
  ];
  for (const c of cases) {
    it(`retarget — ${c.id}`, () => {
      expect(retarget(T, c.actualMs, 10, 1000)).to.equal(c.expected);
    });
  }

  it("retarget never exceeds MAX_TARGET nor falls below 1", () => {
    expect(retarget(MAX_TARGET, 1_000_000, 10, 1000)).to.equal(MAX_TARGET);
    expect(retarget(1n, 1, 10, 1000)).to.equal(1n);
  });
});

describe("epochs and proposers", () => {
  it("heights 1..L are epoch 0 and L is its last block", () => {
    expect([1, 2, 3, 4].map((h) => epochOf(h, 3))).to.deep.equal([0, 0, 0, 1]);
    expect([1, 2, 3, 4, 6].map((h) => isLastOfEpoch(h, 3))).to.deep.equal([false, false, true, false, true]);
  });

  it("round-robins from index (height + round) mod n, giving each representative a turn in n rounds", () => {
    const reps = ["0xa", "0xb", "0xc", "0xd"] as Address[];
    expect(proposerFor(reps, 5, 0)).to.equal("0xb");
    expect(proposerFor(reps, 5, 1)).to.equal("0xc");
    expect(new Set([0, 1, 2, 3].map((r) => proposerFor(reps, 7, r))).size).to.equal(4);
    expect(() => proposerFor([], 1, 0)).to.throw(RangeError);
  });

  it("quorum is more than 2/3, f is the largest with n ≥ 3f + 1", () => {
    expect([1, 3, 4, 5, 6, 7, 10].map(quorum)).to.deep.equal([1, 3, 3, 4, 5, 5, 7]);
    expect([1, 3, 4, 6, 7, 10].map(maxFaulty)).to.deep.equal([0, 0, 1, 1, 2, 3]);
  });
});
