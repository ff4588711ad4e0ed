import { expect } from "chai";
import { RangeSize } from "../../node/l1/rangeSize";

describe("RangeSize (the follower's eth_getLogs range)", () => {
  it("starts at 128 blocks (or the maximum) and doubles after each full range with at most half the target events", () => {
    const range = new RangeSize(2_000, 100);
    expect(new RangeSize(64, 100).blocks).to.equal(64);
    const sizes = [range.blocks];
    for (let i = 0; i < 6; i++) {
      range.succeeded(range.blocks, 50);
      sizes.push(range.blocks);
    }
    expect(sizes).to.deep.equal([128, 256, 512, 1024, 2000, 2000, 2000]);
  });

  it("scales a range that carried more than the target events down to the target, and does not grow past half of it", () => {
    const range = new RangeSize(2_000, 100);
    range.succeeded(128, 1_000);
    expect(range.blocks).to.equal(12); // 128 × 100 / 1,000, rounded down
    range.succeeded(12, 51);
    expect(range.blocks).to.equal(12);
    range.succeeded(12, 1_000_000);
    expect(range.blocks).to.equal(1);
  });

  it("does not grow after a range cut short by the head", () => {
    const range = new RangeSize(2_000, 100);
    range.succeeded(5, 0);
    expect(range.blocks).to.equal(128);
  });

  it("after a refusal, halves and grows back only after GROW_AFTER full ranges in a row", () => {
    const range = new RangeSize(2_000, 100);
    range.shrink();
    expect(range.blocks).to.equal(64);
    for (let i = 1; i < RangeSize.GROW_AFTER; i++) {
      range.succeeded(64, 0);
      expect(range.blocks).to.equal(64);
    }
    range.succeeded(64, 0);
    expect(range.blocks).to.equal(128);
  });
});
