import type { Address } from "../../node/types/primitives";
import type { RegistryEventBody } from "../../node/registry/events";

/**
 * An independent, deliberately naive model of the registries and the voting token for the
 * property tests: every question is answered by scanning the whole accepted history again, with
 * no incremental state, so it shares no logic with node/registry. The rule it implements is the
 * issue's: the votes of c are the sum, over the voters whose approval of c's current
 * registration stands, of the voter's power (the token's latest newVotes for it).
 */
type History = readonly RegistryEventBody[];
type Status = "unregistered" | "active" | "removed" | "refunded";
type Of<K extends RegistryEventBody["kind"]> = Extract<RegistryEventBody, { kind: K }>;

function involves(e: RegistryEventBody, candidate: Address): boolean {
  return "candidate" in e && e.candidate === candidate && e.kind !== "VoteCast" && e.kind !== "VoteRevoked";
}

export function statusOf(history: History, candidate: Address): Status {
  let status: Status = "unregistered";
  for (const e of history) {
    if (!involves(e, candidate)) continue;
    if (e.kind === "CandidateRegistered") status = "active";
    if (e.kind === "CandidateRemoved") status = "removed";
    if (e.kind === "RefundCredited") status = "refunded";
  }
  return status;
}

export function isSlashed(history: History, candidate: Address): boolean {
  return history.some((e) => e.kind === "CandidateSlashed" && e.candidate === candidate);
}

export function lastRegistration(history: History, candidate: Address): Of<"CandidateRegistered"> | undefined {
  const registrations = history.filter(
    (e): e is Of<"CandidateRegistered"> => e.kind === "CandidateRegistered" && e.candidate === candidate,
  );
  return registrations[registrations.length - 1];
}

/** The deposit held now: the last registration's, less what slashing took since. */
export function depositOf(history: History, candidate: Address): bigint {
  let deposit = 0n;
  for (const e of history) {
    if (e.kind === "CandidateRegistered" && e.candidate === candidate) deposit = e.deposit;
    if (e.kind === "CandidateSlashed" && e.candidate === candidate) deposit -= e.amount;
  }
  return deposit;
}

function credentialExpiryOf(history: History, candidate: Address): bigint {
  let expiry = 0n;
  for (const e of history) {
    if ((e.kind === "CandidateRegistered" || e.kind === "CredentialsRenewed") && e.candidate === candidate) {
      expiry = e.credentialExpiry;
    }
  }
  return expiry;
}

export function signingKeyOf(history: History, candidate: Address): Address {
  let key = candidate;
  for (const e of history) if (e.kind === "SigningKeyRotated" && e.candidate === candidate) key = e.newKey;
  return key;
}

/** Whether `key` was ever a signing key of another candidate than `candidate`. */
export function keyTakenByOther(history: History, key: Address, candidate: Address): boolean {
  return history.some(
    (e) =>
      (e.kind === "SigningKeyRotated" && e.newKey === key && e.candidate !== candidate) ||
      (e.kind === "CandidateRegistered" && e.candidate === key && key !== candidate),
  );
}

/** The registration `voter` holds an approval of `candidate` for, or undefined. */
export function approvalOf(history: History, voter: Address, candidate: Address): number | undefined {
  let held: number | undefined;
  for (const e of history) {
    if (e.kind === "VoteCast" && e.voter === voter && e.candidate === candidate) held = e.registration;
    if (e.kind === "VoteRevoked" && e.voter === voter && e.candidate === candidate) held = undefined;
  }
  return held;
}

export function approves(history: History, voter: Address, candidate: Address): boolean {
  return approvalOf(history, voter, candidate) !== undefined;
}

export function powerOf(history: History, account: Address): bigint {
  let power = 0n;
  for (const e of history) if (e.kind === "DelegateVotesChanged" && e.delegate === account) power = e.newVotes;
  return power;
}

function isAuditor(history: History, auditor: Address): boolean {
  let present = false;
  for (const e of history) {
    if (e.kind === "AuditorAdded" && e.auditor === auditor) present = true;
    if (e.kind === "AuditorRemoved" && e.auditor === auditor) present = false;
  }
  return present;
}

export function ruleOf(history: History): { min: bigint; max: bigint; perSeat: bigint } {
  let rule = { min: 0n, max: 0n, perSeat: 0n };
  for (const e of history) {
    if (e.kind === "RepresentativeRuleChanged") {
      rule = { min: e.newMinRepresentatives, max: e.newMaxRepresentatives, perSeat: e.newCandidatesPerSeat };
    }
  }
  return rule;
}

function minDepositOf(history: History): bigint {
  let minDeposit = 0n;
  for (const e of history) if (e.kind === "MinDepositChanged") minDeposit = e.newMinDeposit;
  return minDeposit;
}

function acceptsRegistration(history: History, e: Of<"CandidateRegistered">): boolean {
  const status = statusOf(history, e.candidate);
  const previous = lastRegistration(history, e.candidate)?.registration ?? 0;
  return (
    (status === "unregistered" || status === "refunded") &&
    !isSlashed(history, e.candidate) &&
    !keyTakenByOther(history, e.candidate, e.candidate) &&
    e.registration > previous &&
    e.deposit >= minDepositOf(history)
  );
}

/** Whether the registries and the token could have emitted `e` after `history`. */
export function naiveAccepts(history: History, e: RegistryEventBody): boolean {
  switch (e.kind) {
    case "AuditorAdded":
      return !isAuditor(history, e.auditor);
    case "AuditorRemoved":
      return isAuditor(history, e.auditor);
    case "CandidateRegistered":
      return acceptsRegistration(history, e);
    case "CredentialsRenewed":
    case "CandidateRemoved":
      return statusOf(history, e.candidate) === "active";
    case "SigningKeyRotated":
      return (
        statusOf(history, e.candidate) === "active" &&
        signingKeyOf(history, e.candidate) === e.oldKey &&
        !keyTakenByOther(history, e.newKey, e.candidate)
      );
    case "CandidateSlashed": {
      const status = statusOf(history, e.candidate);
      return (
        (status === "active" || status === "removed") &&
        !isSlashed(history, e.candidate) &&
        e.amount <= depositOf(history, e.candidate)
      );
    }
    case "RefundCredited":
      return (
        statusOf(history, e.candidate) === "removed" &&
        lastRegistration(history, e.candidate)?.operator === e.operator &&
        depositOf(history, e.candidate) === e.amount
      );
    case "VoteCast":
      return (
        statusOf(history, e.candidate) === "active" &&
        lastRegistration(history, e.candidate)?.registration === e.registration &&
        !approves(history, e.voter, e.candidate)
      );
    case "VoteRevoked":
      return approvalOf(history, e.voter, e.candidate) === e.registration;
    case "DelegateVotesChanged":
      return powerOf(history, e.delegate) === e.previousVotes;
    default:
      return true;
  }
}

export interface NaiveStanding {
  address: Address;
  signingKey: Address;
  votes: bigint;
  eligible: boolean;
}

/** Every candidate ever registered, its live approvals weighed voter by voter, eligibility at `snapshotTime`. */
export function naiveStandings(history: History, snapshotTime: bigint): NaiveStanding[] {
  const candidates = [...new Set(history.flatMap((e) => (e.kind === "CandidateRegistered" ? [e.candidate] : [])))];
  const voters = [...new Set(history.flatMap((e) => (e.kind === "VoteCast" ? [e.voter] : [])))];
  return candidates.map((address) => {
    const active = statusOf(history, address) === "active";
    const current = lastRegistration(history, address)?.registration;
    const live = voters.filter((v) => active && approvalOf(history, v, address) === current);
    return {
      address,
      signingKey: signingKeyOf(history, address),
      votes: live.reduce((sum, v) => sum + powerOf(history, v), 0n),
      eligible: active && !isSlashed(history, address) && credentialExpiryOf(history, address) > snapshotTime,
    };
  });
}

/** K by the rule, computed the long way: count up seats until each holds at most perSeat candidates. */
export function naiveK(history: History, eligible: number): bigint {
  const { min, max, perSeat } = ruleOf(history);
  if (perSeat === 0n) return max;
  let seats = 0n;
  while (seats * perSeat < BigInt(eligible)) seats++;
  if (seats < min) seats = min;
  return seats > max ? max : seats;
}

/** The top K by a full sort: votes descending, then the numerically lower address. */
export function naiveElect(history: History, snapshotTime: bigint, seats?: bigint) {
  const eligible = naiveStandings(history, snapshotTime).filter((s) => s.eligible);
  eligible.sort((a, b) => {
    if (a.votes !== b.votes) return a.votes > b.votes ? -1 : 1;
    return BigInt(a.address) < BigInt(b.address) ? -1 : 1;
  });
  const k = seats ?? naiveK(history, eligible.length);
  const representatives = eligible
    .slice(0, Number(k < BigInt(eligible.length) ? k : eligible.length))
    .map(({ address, signingKey, votes }) => ({ address, signingKey, votes }));
  return { k, representatives, eligibleCount: eligible.length, shortfall: k - BigInt(representatives.length) };
}
