import { expect } from "chai";
import { AbiCoder, keccak256, ZeroHash } from "ethers";
import fc from "fast-check";
import {
  candidateStandings,
  elect,
  ElectionError,
  ElectionErrorCode,
  electionResultHash,
  TopK,
  type ElectionResult,
} from "../../node/election";
import { applyEvents, CandidateStatus, emptyRegistryState, stateDigest, type RegistryState } from "../../node/registry";
import { RemovalReason, type RegistryEventBody } from "../../node/registry/events";
import {
  candidate,
  cast,
  onePowerEach,
  power,
  refunded,
  registered,
  removed,
  rule,
  stateOf,
} from "../registry/fixtures";

/** Registers candidates 1..n (expiry 1000) and gives candidate i votes[i-1] approvals of one power unit each. */
function withVotes(votes: number[]): RegistryState {
  const events: RegistryEventBody[] = [
    ...onePowerEach(Math.max(0, ...votes)),
    ...votes.map((_, i) => registered(i + 1)),
  ];
  votes.forEach((n, i) => {
    for (let v = 0; v < n; v++) events.push(cast(v, i + 1));
  });
  return stateOf(events);
}

const reps = (result: ElectionResult): [string, bigint][] => result.representatives.map((r) => [r.address, r.votes]);

describe("elect", () => {
  it("ranks by votes, highest first", () => {
    const result = elect(withVotes([1, 3, 2]), 0n, 3);
    expect(reps(result)).to.deep.equal([
      [candidate(2), 3n],
      [candidate(3), 2n],
      [candidate(1), 1n],
    ]);
    expect(result.shortfall).to.equal(0n);
    expect(result.eligibleCount).to.equal(3);
  });

  it("breaks a tie by the lower address, also at the last seat", () => {
    const result = elect(withVotes([2, 2, 2, 5]), 0n, 2);
    expect(reps(result)).to.deep.equal([
      [candidate(4), 5n],
      [candidate(1), 2n],
    ]);
  });

  it("excludes credentials expiring exactly at the snapshot and keeps those expiring one second later", () => {
    const state = stateOf([
      registered(1, { credentialExpiry: 500n }),
      registered(2, { credentialExpiry: 501n }),
      power(1, 0n, 1n),
      cast(1, 1),
    ]);
    expect(reps(elect(state, 500n, 5))).to.deep.equal([[candidate(2), 0n]]);
    expect(reps(elect(state, 499n, 5))).to.deep.equal([
      [candidate(1), 1n],
      [candidate(2), 0n],
    ]);
  });

  it("excludes removed and refunded candidates whatever their votes", () => {
    const state = withVotes([5, 4, 1]);
    applyEvents(state, [removed(1, RemovalReason.RevokedByOwner), removed(2), refunded(2)]);
    expect(reps(elect(state, 0n, 3))).to.deep.equal([[candidate(3), 1n]]);
  });

  it("elects every eligible candidate, zero votes included, and reports the shortfall when fewer than k qualify", () => {
    const result = elect(withVotes([0, 2]), 0n, 5);
    expect(reps(result)).to.deep.equal([
      [candidate(2), 2n],
      [candidate(1), 0n],
    ]);
    expect(result.shortfall).to.equal(3n);
    expect(result.k).to.equal(5n);
  });

  it("accepts k as a bigint far above the candidate count, and k = 0", () => {
    const state = withVotes([1, 1]);
    expect(elect(state, 0n, 1n << 200n).representatives).to.have.length(2);
    const none = elect(state, 0n, 0);
    expect(none.representatives).to.deep.equal([]);
    expect(none.shortfall).to.equal(0n);
    expect(elect(emptyRegistryState(), 0n, 3).shortfall).to.equal(3n);
  });

  it("rejects a negative or fractional k and a negative snapshot time", () => {
    const state = withVotes([1]);
    for (const k of [-1, 1.5, Number.NaN, -1n]) {
      expect(() => elect(state, 0n, k))
        .to.throw(ElectionError)
        .with.property("code", ElectionErrorCode.INVALID_K);
    }
    expect(() => elect(state, -1n, 1))
      .to.throw(ElectionError)
      .with.property("code", ElectionErrorCode.INVALID_SNAPSHOT_TIME);
  });

  it("sums token units, not heads: one heavy voter outweighs many light ones", () => {
    const state = stateOf([
      registered(1),
      registered(2),
      power(9, 0n, 10n ** 21n),
      ...onePowerEach(5),
      cast(9, 1),
      ...[0, 1, 2, 3, 4].map((v) => cast(v, 2)),
    ]);
    expect(reps(elect(state, 0n, 2))).to.deep.equal([
      [candidate(1), 10n ** 21n],
      [candidate(2), 5n],
    ]);
  });

  it("elects (candidate, signing key) pairs with the key standing in the state", () => {
    const state = withVotes([2, 1]);
    applyEvents(state, [
      { kind: "SigningKeyRotated", candidate: candidate(2), oldKey: candidate(2), newKey: candidate(9) },
    ]);
    expect(elect(state, 0n, 2).representatives.map((r) => [r.address, r.signingKey])).to.deep.equal([
      [candidate(1), candidate(1)],
      [candidate(2), candidate(9)],
    ]);
  });

  it("never elects a slashed candidate", () => {
    const state = withVotes([3, 1]);
    applyEvents(state, [
      {
        kind: "CandidateSlashed",
        candidate: candidate(1),
        evidenceHash: `0x${"11".repeat(32)}`,
        amount: 1n,
        submitter: candidate(7),
      },
    ]);
    expect(reps(elect(state, 0n, 2))).to.deep.equal([[candidate(2), 1n]]);
  });

  describe("K from the registry's rule, with the values standing at the election's block", () => {
    const pool = (eligible: number, ...events: RegistryEventBody[]) =>
      stateOf([...Array.from({ length: eligible }, (_, i) => registered(i + 1)), ...events]);
    const cases: { id: string; eligible: number; rule: [bigint, bigint, bigint]; k: bigint }[] = [
      { id: "ceil(eligible / perSeat) between min and max", eligible: 10, rule: [2n, 21n, 3n], k: 4n },
      { id: "exact division", eligible: 9, rule: [2n, 21n, 3n], k: 3n },
      { id: "raised to min", eligible: 2, rule: [4n, 21n, 3n], k: 4n },
      { id: "capped at max", eligible: 100, rule: [4n, 21n, 3n], k: 21n },
      { id: "candidatesPerSeat 0 means max", eligible: 2, rule: [1n, 7n, 0n], k: 7n },
      { id: "no eligible candidate: min", eligible: 0, rule: [4n, 21n, 3n], k: 4n },
    ];
    for (const c of cases) {
      it(c.id, () => {
        const result = elect(pool(c.eligible, rule(...c.rule)), 0n);
        expect(result.k).to.equal(c.k);
        expect(BigInt(result.representatives.length)).to.equal(c.k < BigInt(c.eligible) ? c.k : BigInt(c.eligible));
      });
    }

    it("counts only eligible candidates (an expired credential or a removal shrinks K)", () => {
      const state = pool(6, rule(1n, 10n, 1n), removed(1), registered(7, { credentialExpiry: 5n }));
      expect(elect(state, 0n).k).to.equal(6n); // 6 eligible at t=0: 2..7
      expect(elect(state, 5n).k).to.equal(5n); // 7's credentials expired at t=5: 5 eligible
    });

    it("applies a later rule change only from its event on", () => {
      const state = pool(8, rule(1n, 10n, 2n));
      expect(elect(state, 0n).k).to.equal(4n);
      applyEvents(state, [rule(1n, 3n, 2n)]);
      expect(elect(state, 0n).k).to.equal(3n);
    });
  });

  it("does not change the state and gives the same result twice", () => {
    const state = withVotes([3, 1, 2]);
    const before = stateDigest(state);
    expect(elect(state, 7n, 2)).to.deep.equal(elect(state, 7n, 2));
    expect(stateDigest(state)).to.equal(before);
  });
});

describe("electionResultHash", () => {
  const { representatives } = elect(withVotes([2, 1]), 42n, 3);

  it("is keccak256 of abi.encode((address,address,uint256)[] elected), the zero hash for no election", () => {
    const encoded = AbiCoder.defaultAbiCoder().encode(
      ["(address,address,uint256)[]"],
      [
        [
          [candidate(1), candidate(1), 2],
          [candidate(2), candidate(2), 1],
        ],
      ],
    );
    expect(electionResultHash(representatives)).to.equal(keccak256(encoded));
    expect(electionResultHash(null)).to.equal(ZeroHash);
    expect(electionResultHash([])).to.not.equal(ZeroHash);
  });

  it("changes with the order, a vote count or a signing key", () => {
    const hash = electionResultHash(representatives);
    expect(electionResultHash([...representatives].reverse())).to.not.equal(hash);
    const [first, second] = representatives;
    expect(electionResultHash([{ ...first, votes: 3n }, second])).to.not.equal(hash);
    expect(electionResultHash([{ ...first, signingKey: second.address }, second])).to.not.equal(hash);
  });
});

describe("candidateStandings", () => {
  it("lists every candidate in election order with its status and eligibility (a removed one has no live votes)", () => {
    const state = withVotes([1, 3, 0]);
    applyEvents(state, [removed(2)]);
    const standing = (i: number, status: CandidateStatus, votes: bigint, eligible: boolean) => ({
      address: candidate(i),
      signingKey: candidate(i),
      status,
      slashed: false,
      credentialExpiry: 1000n,
      votes,
      eligible,
    });
    expect(candidateStandings(state, 0n)).to.deep.equal([
      standing(1, CandidateStatus.Active, 1n, true),
      standing(2, CandidateStatus.Removed, 0n, false),
      standing(3, CandidateStatus.Active, 0n, true),
    ]);
    expect(candidateStandings(state, 1000n).every((s) => !s.eligible)).to.equal(true);
  });
});

describe("TopK", () => {
  it("keeps the k largest, best first, as sorting everything would", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 })), fc.nat({ max: 20 }), (values, k) => {
        const top = new TopK<number>(k, (a, b) => a > b);
        values.forEach((v) => top.offer(v));
        const expected = [...values].sort((a, b) => b - a).slice(0, k);
        expect(top.sorted()).to.deep.equal(expected);
        expect(top.size).to.equal(expected.length);
      }),
    );
  });

  it("rejects a negative or fractional capacity", () => {
    expect(() => new TopK<number>(-1, (a, b) => a > b)).to.throw(RangeError);
    expect(() => new TopK<number>(0.5, (a, b) => a > b)).to.throw(RangeError);
  });
});
