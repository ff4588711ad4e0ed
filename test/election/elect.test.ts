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
import {
  applyEvents,
  CandidateStatus,
  emptyGovernanceState,
  stateDigest,
  type GovernanceState,
} from "../../node/registry";
import { RemovalReason, type GovernanceEventBody } from "../../node/registry/events";
import { candidate, cast, registered, stateOf } from "../registry/fixtures";

/** Registers candidates 1..n (expiry 1000) and gives candidate i votes[i-1] approvals. */
function withVotes(votes: number[]): GovernanceState {
  const events: GovernanceEventBody[] = votes.map((_, i) => registered(i + 1));
  votes.forEach((n, i) => {
    for (let v = 0; v < n; v++) events.push(cast(v, i + 1));
  });
  return stateOf(events);
}

const reps = (result: ElectionResult): [string, bigint][] => result.representatives.map((r) => [r.address, r.votes]);

describe("elect", () => {
  it("ranks by votes, highest first", () => {
    const result = elect(withVotes([1, 3, 2]), 3, 0n);
    expect(reps(result)).to.deep.equal([
      [candidate(2), 3n],
      [candidate(3), 2n],
      [candidate(1), 1n],
    ]);
    expect(result.shortfall).to.equal(0n);
    expect(result.eligibleCount).to.equal(3);
  });

  it("breaks a tie by the lower address, also at the last seat", () => {
    const result = elect(withVotes([2, 2, 2, 5]), 2, 0n);
    expect(reps(result)).to.deep.equal([
      [candidate(4), 5n],
      [candidate(1), 2n],
    ]);
  });

  it("excludes credentials expiring exactly at the snapshot and keeps those expiring one second later", () => {
    const state = stateOf([
      registered(1, { credentialExpiry: 500n }),
      registered(2, { credentialExpiry: 501n }),
      cast(1, 1),
    ]);
    expect(reps(elect(state, 5, 500n))).to.deep.equal([[candidate(2), 0n]]);
    expect(reps(elect(state, 5, 499n))).to.deep.equal([
      [candidate(1), 1n],
      [candidate(2), 0n],
    ]);
  });

  it("excludes removed and refunded candidates whatever their votes", () => {
    const state = withVotes([5, 4, 1]);
    applyEvents(state, [
      { kind: "CandidateRemoved", candidate: candidate(1), reason: RemovalReason.Revoked, refundableAt: 0n },
      { kind: "CandidateRemoved", candidate: candidate(2), reason: RemovalReason.Withdrawn, refundableAt: 0n },
      { kind: "DepositRefunded", candidate: candidate(2), operator: registeredOperator(state, 2), amount: 100n },
    ]);
    expect(reps(elect(state, 3, 0n))).to.deep.equal([[candidate(3), 1n]]);
  });

  it("elects every eligible candidate, zero votes included, and reports the shortfall when fewer than k qualify", () => {
    const result = elect(withVotes([0, 2]), 5, 0n);
    expect(reps(result)).to.deep.equal([
      [candidate(2), 2n],
      [candidate(1), 0n],
    ]);
    expect(result.shortfall).to.equal(3n);
    expect(result.k).to.equal(5n);
  });

  it("accepts k as a bigint far above the candidate count, and k = 0", () => {
    const state = withVotes([1, 1]);
    expect(elect(state, 1n << 200n, 0n).representatives).to.have.length(2);
    const none = elect(state, 0, 0n);
    expect(none.representatives).to.deep.equal([]);
    expect(none.shortfall).to.equal(0n);
    expect(elect(emptyGovernanceState(), 3, 0n).shortfall).to.equal(3n);
  });

  it("rejects a negative or fractional k and a negative snapshot time", () => {
    const state = withVotes([1]);
    for (const k of [-1, 1.5, Number.NaN, -1n]) {
      expect(() => elect(state, k, 0n))
        .to.throw(ElectionError)
        .with.property("code", ElectionErrorCode.INVALID_K);
    }
    expect(() => elect(state, 1, -1n))
      .to.throw(ElectionError)
      .with.property("code", ElectionErrorCode.INVALID_SNAPSHOT_TIME);
  });

  it("does not change the state and gives the same result twice", () => {
    const state = withVotes([3, 1, 2]);
    const before = stateDigest(state);
    expect(elect(state, 2, 7n)).to.deep.equal(elect(state, 2, 7n));
    expect(stateDigest(state)).to.equal(before);
  });
});

function registeredOperator(state: GovernanceState, i: number): `0x${string}` {
  return state.candidates.get(candidate(i))!.operator;
}

describe("electionResultHash", () => {
  const { representatives } = elect(withVotes([2, 1]), 3, 42n);

  it("is keccak256 of abi.encode((address,uint256)[] representatives), the zero hash for no election", () => {
    const encoded = AbiCoder.defaultAbiCoder().encode(
      ["(address,uint256)[]"],
      [
        [
          [candidate(1), 2],
          [candidate(2), 1],
        ],
      ],
    );
    expect(electionResultHash(representatives)).to.equal(keccak256(encoded));
    expect(electionResultHash(null)).to.equal(ZeroHash);
    expect(electionResultHash([])).to.not.equal(ZeroHash);
  });

  it("changes with the order and with a vote count", () => {
    const hash = electionResultHash(representatives);
    expect(electionResultHash([...representatives].reverse())).to.not.equal(hash);
    const [first, second] = representatives;
    expect(electionResultHash([{ ...first, votes: 3n }, second])).to.not.equal(hash);
  });
});

describe("candidateStandings", () => {
  it("lists every candidate in election order with its status and eligibility", () => {
    const state = withVotes([1, 3, 0]);
    applyEvents(state, [
      { kind: "CandidateRemoved", candidate: candidate(2), reason: RemovalReason.Withdrawn, refundableAt: 0n },
    ]);
    expect(candidateStandings(state, 0n)).to.deep.equal([
      { address: candidate(2), status: CandidateStatus.Removed, credentialExpiry: 1000n, votes: 3n, eligible: false },
      { address: candidate(1), status: CandidateStatus.Active, credentialExpiry: 1000n, votes: 1n, eligible: true },
      { address: candidate(3), status: CandidateStatus.Active, credentialExpiry: 1000n, votes: 0n, eligible: true },
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
