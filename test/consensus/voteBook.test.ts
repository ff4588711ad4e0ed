import { expect } from "chai";
import type { VoteMessage } from "../../node/consensus/messages";
import { MAX_CONFLICTING_VOTES, VoteBook } from "../../node/consensus/voteBook";
import type { Address, Hex } from "../../node/types/primitives";

const V1 = `0x${"1".repeat(40)}` as Address;
const V2 = `0x${"2".repeat(40)}` as Address;

function hash(i: number): Hex {
  return `0x${i.toString(16).padStart(64, "0")}` as Hex;
}

function prevote(validator: Address, blockHash: Hex | null): VoteMessage {
  return { type: "vote", kind: "prevote", height: 1, round: 0, blockHash, validator, signature: "0x" };
}

describe("VoteBook", () => {
  it("counts each validator once per value: its first vote and each later, conflicting one", () => {
    const book = new VoteBook();
    expect(book.add(prevote(V1, null))).to.equal("added");
    expect(book.add(prevote(V1, null))).to.equal("duplicate");
    expect(book.add(prevote(V1, hash(1)))).to.equal("equivocation");
    expect(book.add(prevote(V1, hash(1)))).to.equal("duplicate");
    expect(book.add(prevote(V2, hash(1)))).to.equal("added");
    expect(book.count(0, "prevote", hash(1))).to.equal(2);
    expect(book.count(0, "prevote", null)).to.equal(1);
    expect(book.countAny(0, "prevote")).to.equal(2);
    expect(book.votesFor(0, "prevote", hash(1)).map((v) => v.validator)).to.deep.equal([V2, V1]);
    expect(book.firstOf(0, "prevote", V1)?.blockHash).to.equal(null);
  });

  it(`keeps at most ${MAX_CONFLICTING_VOTES} conflicting votes per validator, dropping the oldest`, () => {
    const book = new VoteBook();
    book.add(prevote(V1, null));
    for (let i = 1; i <= MAX_CONFLICTING_VOTES + 1; i++)
      expect(book.add(prevote(V1, hash(i)))).to.equal("equivocation");
    expect(book.count(0, "prevote", hash(1))).to.equal(0);
    for (let i = 2; i <= MAX_CONFLICTING_VOTES + 1; i++) expect(book.count(0, "prevote", hash(i))).to.equal(1);
    expect(book.count(0, "prevote", null)).to.equal(1); // the first vote is never dropped
    // Sent again (an honest node resends the polka it relays), the dropped vote counts again.
    expect(book.add(prevote(V1, hash(1)))).to.equal("equivocation");
    expect(book.count(0, "prevote", hash(1))).to.equal(1);
  });
});
