import { keccak256 } from "js-sha3";
import type { Address, Hex } from "../types/primitives";
import { CandidateStatus, type GovernanceParameters, type GovernanceState } from "./state";

/** A candidate in a snapshot: its record and its current approval count. */
export interface CandidateSnapshot {
  readonly address: Address;
  readonly status: CandidateStatus;
  readonly operator: Address;
  readonly deposit: bigint;
  readonly qualificationHash: Hex;
  readonly credentialExpiry: bigint;
  readonly removalReason: number | null;
  readonly refundableAt: bigint;
  readonly refunded: boolean;
  readonly votes: number;
}

/**
 * The state in a canonical order (everything sorted by address), independent of the order in
 * which the maps were filled. Two states are equal exactly when their snapshots deep-equal.
 */
export interface GovernanceSnapshot {
  readonly parameters: Readonly<GovernanceParameters>;
  readonly auditors: readonly Address[];
  readonly candidates: readonly CandidateSnapshot[];
  readonly approvals: readonly { readonly voter: Address; readonly candidates: readonly Address[] }[];
  /** The tally as stored, sorted: kept apart from `candidates` so a tally that drifted from the approvals shows. */
  readonly tally: readonly { readonly candidate: Address; readonly votes: number }[];
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function snapshotGovernanceState(state: GovernanceState): GovernanceSnapshot {
  const candidates = [...state.candidates.entries()]
    .sort(([a], [b]) => byString(a, b))
    .map(([address, record]) => ({ address, ...record, votes: state.tally.get(address) ?? 0 }));
  return {
    parameters: { ...state.parameters },
    auditors: [...state.auditors].sort(byString),
    candidates,
    approvals: [...state.approvals.entries()]
      .sort(([a], [b]) => byString(a, b))
      .map(([voter, approved]) => ({ voter, candidates: [...approved].sort(byString) })),
    tally: [...state.tally.entries()]
      .sort(([a], [b]) => byString(a, b))
      .map(([candidate, votes]) => ({ candidate, votes })),
  };
}

const STATUS_CODES: Readonly<Record<CandidateStatus, number>> = {
  [CandidateStatus.Active]: 0,
  [CandidateStatus.Removed]: 1,
  [CandidateStatus.Refunded]: 2,
};
/** removalReason of a candidate never removed since its latest registration. */
const NO_REASON = 255;
const DIGEST_VERSION = 1n;

/** One 32-byte big-endian word, as 64 hex digits: a bigint, a number, a boolean or an address/hash. */
function word(value: bigint | number | boolean | string): string {
  if (typeof value === "string") return value.slice(2).padStart(64, "0");
  return BigInt(value).toString(16).padStart(64, "0");
}

/**
 * keccak256 over the snapshot written as 32-byte words, each list preceded by its length:
 *   version (1), threshold, minDeposit, unbondingPeriod, representativeCount, maxVotesPerVoter,
 *   #auditors, auditor…,
 *   #candidates, (address, status 0/1/2, operator, deposit, qualificationHash, credentialExpiry,
 *                 removalReason or 255, refundableAt, refunded, votes)…,
 *   #voters, (voter, #approved, candidate…)…,
 *   #tally, (candidate, votes)…
 * (the layout abi.encodePacked gives for those words). Equal states give equal digests on every
 * machine. O(state): for comparisons and checks, not for the per-event path.
 */
export function stateDigest(state: GovernanceState): Hex {
  const s = snapshotGovernanceState(state);
  const p = s.parameters;
  const words: string[] = [DIGEST_VERSION, p.threshold, p.minDeposit, p.unbondingPeriod, p.representativeCount]
    .concat(p.maxVotesPerVoter)
    .map(word);
  words.push(word(s.auditors.length), ...s.auditors.map(word));
  words.push(word(s.candidates.length));
  for (const c of s.candidates) {
    const reason = c.removalReason ?? NO_REASON;
    words.push(word(c.address), word(STATUS_CODES[c.status]), word(c.operator), word(c.deposit));
    words.push(word(c.qualificationHash), word(c.credentialExpiry), word(reason), word(c.refundableAt));
    words.push(word(c.refunded), word(c.votes));
  }
  words.push(word(s.approvals.length));
  for (const a of s.approvals) words.push(word(a.voter), word(a.candidates.length), ...a.candidates.map(word));
  words.push(word(s.tally.length));
  for (const t of s.tally) words.push(word(t.candidate), word(t.votes));
  return `0x${keccak256(Buffer.from(words.join(""), "hex"))}` as Hex;
}
