import { expect } from "chai";
import { NO_DEPOSIT_TX, type CandidateApplication } from "../../../node/auditor/application";
import { review, type ReviewFacts, type ReviewRules } from "../../../node/auditor/service/rules";

const RULES: ReviewRules = {
  minPowHashesPerSecond: 100_000n,
  minSigVerificationsPerSecond: 5_000n,
  minDeposit: 2n,
  minCreditValue: 50n,
  maxMeasurementAgeSeconds: 600n,
};
const FACTS: ReviewFacts = {
  nowSeconds: 10_000n,
  chainMinDeposit: 1n,
  sourceCreditValue: 100n,
  paidDeposit: undefined,
};
const APP: CandidateApplication = {
  candidate: "0x00000000000000000000000000000000000000c1",
  operator: "0x00000000000000000000000000000000000000a1",
  qualification: {
    powHashesPerSecond: 100_000n,
    sigVerificationsPerSecond: 5_000n,
    measuredAt: 10_000n,
    deposit: 2n,
    depositTx: NO_DEPOSIT_TX,
    creditValue: 100n,
  },
  nonce: 0n,
};
const PAID_TX = `0x${"11".repeat(32)}` as const;

type Q = CandidateApplication["qualification"];
const cases: { id: string; q?: Partial<Q>; facts?: Partial<ReviewFacts>; approve: boolean; reason: string }[] = [
  { id: "exactly at every minimum", approve: true, reason: "all review rules passed" },
  {
    id: "slow PoW",
    q: { powHashesPerSecond: 99_999n },
    approve: false,
    reason: "PoW rate 99999 H/s is below the minimum 100000",
  },
  {
    id: "slow signatures",
    q: { sigVerificationsPerSecond: 1n },
    approve: false,
    reason: "signature rate 1/s is below the minimum 5000",
  },
  { id: "old benchmark", q: { measuredAt: 9_399n }, approve: false, reason: "is 601s old; the limit is 600s" },
  { id: "benchmark from the future", q: { measuredAt: 10_601n }, approve: false, reason: "is 601s in the future" },
  {
    id: "deposit below the auditor's floor",
    q: { deposit: 1n },
    approve: false,
    reason: "deposit 1 wei is below the minimum 2",
  },
  {
    id: "deposit below the chain's floor",
    facts: { chainMinDeposit: 5n },
    approve: false,
    reason: "below the minimum 5",
  },
  {
    id: "deposit paid by transaction",
    q: { depositTx: PAID_TX },
    facts: { paidDeposit: 2n },
    approve: true,
    reason: "all review rules passed",
  },
  {
    id: "deposit transaction paying too little",
    q: { depositTx: PAID_TX },
    facts: { paidDeposit: 1n },
    approve: false,
    reason: "paid 1 wei from the operator, not 2",
  },
  {
    id: "unknown account",
    facts: { sourceCreditValue: undefined },
    approve: false,
    reason: "no credit value is known",
  },
  {
    id: "credit claimed above the record",
    q: { creditValue: 101n },
    approve: false,
    reason: "claimed credit value 101 exceeds the recorded 100",
  },
  {
    id: "recorded credit below the minimum",
    q: { creditValue: 10n },
    facts: { sourceCreditValue: 10n },
    approve: false,
    reason: "credit value 10 is below the minimum 50",
  },
];

describe("auditor review rules", function () {
  for (const c of cases) {
    it(`${c.approve ? "approves" : "rejects"}: ${c.id}`, function () {
      const app = { ...APP, qualification: { ...APP.qualification, ...c.q } };
      const outcome = review(app, RULES, { ...FACTS, ...c.facts });
      expect(outcome.approve).to.equal(c.approve);
      expect(outcome.reason).to.contain(c.reason);
    });
  }

  it("lists every failed rule, not only the first", function () {
    const app = { ...APP, qualification: { ...APP.qualification, powHashesPerSecond: 0n, deposit: 0n } };
    const outcome = review(app, RULES, { ...FACTS, sourceCreditValue: undefined });
    expect(outcome.reason.split("; ")).to.have.length(3);
  });
});
