import type { CandidateApplication } from "../application";
import { NO_DEPOSIT_TX } from "../application";

/**
 * The automatic review (the patent's "online" audit): a pure function of the application and the
 * facts the service gathered about it. No I/O here; the service fetches the credit value, the
 * on-chain minimum deposit and any deposit payment first.
 */
export interface ReviewRules {
  readonly minPowHashesPerSecond: bigint;
  readonly minSigVerificationsPerSecond: bigint;
  /** The auditor's own floor; the chain's `minDeposit` applies as well, whichever is higher. */
  readonly minDeposit: bigint;
  readonly minCreditValue: bigint;
  /** A benchmark older than this (or dated in the future by more than this) is refused. */
  readonly maxMeasurementAgeSeconds: bigint;
}

export interface ReviewFacts {
  readonly nowSeconds: bigint;
  /** CandidateRegistry.minDeposit() now. */
  readonly chainMinDeposit: bigint;
  /** The account's credit value according to the configured source, undefined when it has none. */
  readonly sourceCreditValue: bigint | undefined;
  /** When the application names a deposit transaction: the amount it paid from the operator, 0 if none. */
  readonly paidDeposit: bigint | undefined;
}

export interface ReviewOutcome {
  readonly approve: boolean;
  /** Every failed rule, or one line saying all passed. */
  readonly reason: string;
}

export function review(app: CandidateApplication, rules: ReviewRules, facts: ReviewFacts): ReviewOutcome {
  const failures = [
    ...checkPerformance(app, rules, facts),
    ...checkDeposit(app, rules, facts),
    ...checkCredit(app, rules, facts),
  ];
  if (failures.length > 0) return { approve: false, reason: failures.join("; ") };
  return { approve: true, reason: "all review rules passed" };
}

function checkPerformance(app: CandidateApplication, rules: ReviewRules, facts: ReviewFacts): string[] {
  const q = app.qualification;
  const failures: string[] = [];
  if (q.powHashesPerSecond < rules.minPowHashesPerSecond) {
    failures.push(`PoW rate ${q.powHashesPerSecond} H/s is below the minimum ${rules.minPowHashesPerSecond}`);
  }
  if (q.sigVerificationsPerSecond < rules.minSigVerificationsPerSecond) {
    failures.push(
      `signature rate ${q.sigVerificationsPerSecond}/s is below the minimum ${rules.minSigVerificationsPerSecond}`,
    );
  }
  const age = facts.nowSeconds - q.measuredAt;
  if (age > rules.maxMeasurementAgeSeconds) {
    failures.push(
      `benchmark measured at ${q.measuredAt} is ${age}s old; the limit is ${rules.maxMeasurementAgeSeconds}s`,
    );
  } else if (-age > rules.maxMeasurementAgeSeconds) {
    failures.push(`benchmark measured at ${q.measuredAt} is ${-age}s in the future`);
  }
  return failures;
}

function checkDeposit(app: CandidateApplication, rules: ReviewRules, facts: ReviewFacts): string[] {
  const q = app.qualification;
  const floor = rules.minDeposit > facts.chainMinDeposit ? rules.minDeposit : facts.chainMinDeposit;
  const failures: string[] = [];
  if (q.deposit < floor) failures.push(`deposit ${q.deposit} wei is below the minimum ${floor}`);
  if (q.depositTx !== NO_DEPOSIT_TX && (facts.paidDeposit ?? 0n) < q.deposit) {
    failures.push(
      `deposit transaction ${q.depositTx} paid ${facts.paidDeposit ?? 0n} wei from the operator, not ${q.deposit}`,
    );
  }
  return failures;
}

function checkCredit(app: CandidateApplication, rules: ReviewRules, facts: ReviewFacts): string[] {
  const claimed = app.qualification.creditValue;
  const known = facts.sourceCreditValue;
  if (known === undefined) return [`no credit value is known for ${app.operator}`];
  const failures: string[] = [];
  if (claimed > known) failures.push(`claimed credit value ${claimed} exceeds the recorded ${known}`);
  if (known < rules.minCreditValue) failures.push(`credit value ${known} is below the minimum ${rules.minCreditValue}`);
  return failures;
}
