import { expect } from "chai";
import { StaticL1, registration } from "../../node/testing/staticL1";
import type { Address } from "../../node/types/primitives";

const candidate = (i: number) => `0x${i.toString(16).padStart(40, "c")}` as Address;

describe("StaticL1 (the tests' and benchmarks' fixed L1)", () => {
  it("eventsBetween(from, to) returns the events of blocks from+1..to, in order, across empty blocks", () => {
    const l1 = new StaticL1();
    l1.addBlock([registration(candidate(1)), registration(candidate(2))]); // block 1
    l1.addBlock([]); // block 2
    l1.addBlock([registration(candidate(3))]); // block 3
    l1.addBlock([registration(candidate(4))]); // block 4
    const blocksOf = (from: number, to: number) => l1.eventsBetween(from, to).map((e) => e.blockNumber);
    expect(blocksOf(0, 4)).to.deep.equal([1, 1, 3, 4]);
    expect(blocksOf(1, 3)).to.deep.equal([3]);
    expect(blocksOf(1, 2)).to.deep.equal([]);
    expect(blocksOf(0, 1)).to.deep.equal([1, 1]);
    expect(blocksOf(3, 4)).to.deep.equal([4]);
    expect(blocksOf(4, 9)).to.deep.equal([]);
    expect(l1.eventsBetween(0, 4).map((e) => (e as { candidate: Address }).candidate)).to.deep.equal(
      [1, 2, 3, 4].map(candidate),
    );
  });
});
