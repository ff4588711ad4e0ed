import { expect } from "chai";
import fc from "fast-check";
import { Ballots, INDEXED_FROM } from "../../node/registry/ballots";

const VOTERS = 3;
// More candidates than INDEXED_FROM, so that ballots cross from scanned to indexed.
const CANDIDATES = INDEXED_FROM + 20;

type Op = { add: boolean; voter: number; candidate: number; registration: number };
const arbOp: fc.Arbitrary<Op> = fc.record({
  // Mostly adds, so that ballots grow past INDEXED_FROM before removals thin them again.
  add: fc.integer({ min: 0, max: 3 }).map((n) => n > 0),
  voter: fc.nat({ max: VOTERS - 1 }),
  candidate: fc.nat({ max: CANDIDATES - 1 }),
  registration: fc.integer({ min: 1, max: 2 ** 40 }),
});

function contents(ballots: Ballots, voter: number): Map<number, number> {
  const found = new Map<number, number>();
  for (let at = ballots.first(voter); at < ballots.end(voter); at++) {
    found.set(ballots.candidateAt(at), ballots.registrationAt(at));
  }
  return found;
}

describe("Ballots: every voter's approvals in shared typed arrays", () => {
  it("holds what a Map per voter holds, through growth, indexing and removals", () => {
    fc.assert(
      fc.property(fc.array(arbOp, { minLength: 50, maxLength: 400 }), (ops) => {
        const ballots = new Ballots();
        ballots.reserve(VOTERS);
        const model = Array.from({ length: VOTERS }, () => new Map<number, number>());
        for (const op of ops) {
          const held = model[op.voter].get(op.candidate);
          if (op.add && held === undefined) {
            ballots.add(op.voter, op.candidate, op.registration);
            model[op.voter].set(op.candidate, op.registration);
          } else if (!op.add && held !== undefined) {
            expect(ballots.remove(op.voter, op.candidate)).to.equal(held);
            model[op.voter].delete(op.candidate);
          }
          expect(ballots.get(op.voter, op.candidate)).to.equal(model[op.voter].get(op.candidate));
        }
        for (let v = 0; v < VOTERS; v++) {
          const lookedUp = new Map<number, number>();
          for (let c = 0; c < CANDIDATES; c++) {
            const registration = ballots.get(v, c);
            if (registration !== undefined) lookedUp.set(c, registration);
          }
          expect(lookedUp).to.deep.equal(model[v]);
          expect(ballots.size(v)).to.equal(model[v].size);
          expect(contents(ballots, v)).to.deep.equal(model[v]);
        }
      }),
      { numRuns: 40 },
    );
  });

  it("keeps each voter's ballot apart while both grow past the index threshold", () => {
    const ballots = new Ballots();
    ballots.reserve(2);
    for (let c = 0; c < 3 * INDEXED_FROM; c++) {
      ballots.add(0, c, 1);
      ballots.add(1, c, 2);
    }
    expect(ballots.get(0, 3 * INDEXED_FROM - 1)).to.equal(1);
    expect(ballots.get(1, 0)).to.equal(2);
    expect(ballots.remove(0, 0)).to.equal(1);
    expect(ballots.get(0, 0)).to.equal(undefined);
    expect(ballots.get(1, 0)).to.equal(2);
    expect([ballots.size(0), ballots.size(1)]).to.deep.equal([3 * INDEXED_FROM - 1, 3 * INDEXED_FROM]);
  });
});
