import type { Address } from "../../node/types/primitives";
import type { GovernanceEventBody } from "../../node/registry/events";

/**
 * An independent, deliberately naive model of the registries for the property tests: every
 * question is answered by scanning the whole accepted history again, with no incremental state,
 * so it shares no logic with node/registry.
 */
type History = readonly GovernanceEventBody[];
type Status = "unregistered" | "active" | "removed" | "refunded";

function involves(e: GovernanceEventBody, candidate: Address): boolean {
  return "candidate" in e && e.candidate === candidate && e.kind !== "VoteCast" && e.kind !== "VoteRevoked";
}

export function statusOf(history: History, candidate: Address): Status {
  let status: Status = "unregistered";
  for (const e of history) {
    if (!involves(e, candidate)) continue;
    if (e.kind === "CandidateRegistered") status = "active";
    if (e.kind === "CandidateRemoved") status = "removed";
    if (e.kind === "DepositRefunded") status = "refunded";
  }
  return status;
}

export function lastRegistration(history: History, candidate: Address) {
  const registrations = history.filter(
    (e): e is Extract<GovernanceEventBody, { kind: "CandidateRegistered" }> =>
      e.kind === "CandidateRegistered" && e.candidate === candidate,
  );
  return registrations[registrations.length - 1];
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

export function approves(history: History, voter: Address, candidate: Address): boolean {
  let held = false;
  for (const e of history) {
    if (e.kind === "VoteCast" && e.voter === voter && e.candidate === candidate) held = true;
    if (e.kind === "VoteRevoked" && e.voter === voter && e.candidate === candidate) held = false;
  }
  return held;
}

function isAuditor(history: History, auditor: Address): boolean {
  let present = false;
  for (const e of history) {
    if (e.kind === "AuditorAdded" && e.auditor === auditor) present = true;
    if (e.kind === "AuditorRemoved" && e.auditor === auditor) present = false;
  }
  return present;
}

export function representativeCountOf(history: History): bigint {
  let k = 0n;
  for (const e of history) if (e.kind === "RepresentativeCountChanged") k = e.representativeCount;
  return k;
}

function minDepositOf(history: History): bigint {
  let minDeposit = 0n;
  for (const e of history) if (e.kind === "MinDepositChanged") minDeposit = e.minDeposit;
  return minDeposit;
}

/** Whether the registries could have emitted `e` after `history`. */
export function naiveAccepts(history: History, e: GovernanceEventBody): boolean {
  switch (e.kind) {
    case "AuditorAdded":
      return !isAuditor(history, e.auditor);
    case "AuditorRemoved":
      return isAuditor(history, e.auditor);
    case "CandidateRegistered": {
      const status = statusOf(history, e.candidate);
      return (status === "unregistered" || status === "refunded") && e.deposit >= minDepositOf(history);
    }
    case "CredentialsRenewed":
    case "CandidateRemoved":
      return statusOf(history, e.candidate) === "active";
    case "DepositRefunded": {
      const registration = lastRegistration(history, e.candidate);
      return (
        statusOf(history, e.candidate) === "removed" &&
        registration.operator === e.operator &&
        registration.deposit === e.amount
      );
    }
    case "VoteCast":
      return statusOf(history, e.candidate) === "active" && !approves(history, e.voter, e.candidate);
    case "VoteRevoked":
      return approves(history, e.voter, e.candidate);
    default:
      return true;
  }
}

export interface NaiveStanding {
  address: Address;
  votes: bigint;
  eligible: boolean;
}

/** Every candidate ever registered, its approvals counted voter by voter, eligibility at `snapshotTime`. */
export function naiveStandings(history: History, snapshotTime: bigint): NaiveStanding[] {
  const candidates = [...new Set(history.flatMap((e) => (e.kind === "CandidateRegistered" ? [e.candidate] : [])))];
  const voters = [...new Set(history.flatMap((e) => (e.kind === "VoteCast" ? [e.voter] : [])))];
  return candidates.map((address) => ({
    address,
    votes: BigInt(voters.filter((v) => approves(history, v, address)).length),
    eligible: statusOf(history, address) === "active" && credentialExpiryOf(history, address) > snapshotTime,
  }));
}

/** The top k by a full sort: votes descending, then the numerically lower address. */
export function naiveElect(history: History, k: bigint, snapshotTime: bigint) {
  const eligible = naiveStandings(history, snapshotTime).filter((s) => s.eligible);
  eligible.sort((a, b) => {
    if (a.votes !== b.votes) return a.votes > b.votes ? -1 : 1;
    return BigInt(a.address) < BigInt(b.address) ? -1 : 1;
  });
  const representatives = eligible.slice(0, Number(k)).map(({ address, votes }) => ({ address, votes }));
  return { representatives, eligibleCount: eligible.length, shortfall: k - BigInt(representatives.length) };
}
