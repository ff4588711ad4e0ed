import { expect } from "chai";
import { RangeSize } from "../../node/l1/rangeSize";

describe("RangeSize (the follower's eth_getLogs range)", () => {
  it("starts at 32 blocks (or the maximum) and doubles after each full range with at most half the target events", () => {
    const range = new RangeSize(2_000, 100);
    expect(new RangeSize(16, 100).blocks).to.equal(16);
    const sizes = [range.blocks];
    for (let i = 0; i < 8; i++) {
      range.succeeded(range.blocks, 50);
      sizes.push(range.blocks);
    }
    expect(sizes).to.deep.equal([32, 64, 128, 256, 512, 1024, 2000, 2000, 2000]);
  });

  it("scales a range that carried more than the target events down to the target, and does not grow past half of it", () => {
    const range = new RangeSize(2_000, 100);
    range.succeeded(32, 250);
    expect(range.blocks).to.equal(12); // 32 × 100 / 250, rounded down
    range.succeeded(12, 51);
    expect(range.blocks).to.equal(12);
    range.succeeded(12, 1_000_000);
    expect(range.blocks).to.equal(1);
  });

  it("does not grow after a range cut short by the head", () => {
    const range = new RangeSize(2_000, 100);
    range.succeeded(5, 0);
    expect(range.blocks).to.equal(32);
  });

  it("after a refusal, halves and grows back only after GROW_AFTER full ranges in a row", () => {
    const range = new RangeSize(2_000, 100);
    range.shrink();
    expect(range.blocks).to.equal(16);
    for (let i = 1; i < RangeSize.GROW_AFTER; i++) {
      range.succeeded(16, 0);
      expect(range.blocks).to.equal(16);
    }
    range.succeeded(16, 0);
    expect(range.blocks).to.equal(32);
  });
});
