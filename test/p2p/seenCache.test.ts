import { expect } from "chai";
import { SeenCache } from "../../node/p2p/seenCache";
import { ValidationResult } from "../../node/p2p/validationResult";

describe("SeenCache", () => {
  it("says seen for an id marked within the TTL, new once it is older", () => {
    const seen = new SeenCache(10, 1000);
    expect(seen.add("a", 0)).to.equal(true);
    expect(seen.add("a", 1000)).to.equal(false);
    expect(seen.add("a", 1001)).to.equal(true); // expired: read again, and remembered from now
    expect(seen.add("a", 2001)).to.equal(false);
  });

  it("holds at most `capacity` ids, evicting the oldest first", () => {
    const seen = new SeenCache(3, 60_000);
    for (const id of ["a", "b", "c", "d"]) expect(seen.add(id, 0)).to.equal(true);
    expect(seen.size).to.equal(3);
    expect(seen.add("a", 1)).to.equal(true); // evicted
    expect(seen.add("d", 1)).to.equal(false);
  });

  it("forgets an id its handler IGNOREd at once, and keeps an ACCEPTed or REJECTed one", () => {
    const seen = new SeenCache(3, 60_000);
    for (const id of ["ignored", "accepted", "rejected"]) seen.add(id, 0);
    seen.handled("ignored", ValidationResult.Ignore);
    seen.handled("accepted", ValidationResult.Accept);
    seen.handled("rejected", ValidationResult.Reject);
    expect(["ignored", "accepted", "rejected"].map((id) => seen.add(id, 1))).to.deep.equal([true, false, false]);
  });

  it("refuses a capacity or TTL that is not positive", () => {
    expect(() => new SeenCache(0, 1)).to.throw(RangeError);
    expect(() => new SeenCache(1, 0)).to.throw(RangeError);
  });
});
