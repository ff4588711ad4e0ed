import { keccak256 } from "js-sha3";
import type { Address, Hex } from "../types/primitives";
import { CandidateStatus, type RegistryParameters, type RegistryState } from "./state";

/** A candidate in a snapshot: its record and its live weighted votes. */
export interface CandidateSnapshot {
  readonly address: Address;
  readonly status: CandidateStatus;
  readonly operator: Address;
  readonly deposit: bigint;
  readonly qualificationHash: Hex;
  readonly credentialExpiry: bigint;
  readonly signingKey: Address;
  readonly registration: number;
  readonly removalReason: number | null;
  readonly refundableAt: bigint;
  readonly refunded: boolean;
  readonly slashed: boolean;
  readonly votes: bigint;
}

/**
 * The state in a canonical order (everything sorted by address), independent of the order in
 * which the maps were filled. Two states are equal exactly when their snapshots deep-equal.
 */
export interface RegistrySnapshot {
  readonly parameters: Readonly<RegistryParameters>;
  readonly auditors: readonly Address[];
  readonly candidates: readonly CandidateSnapshot[];
  readonly approvals: readonly {
    readonly voter: Address;
    readonly candidates: readonly { readonly candidate: Address; readonly registration: number }[];
  }[];
  readonly power: readonly { readonly account: Address; readonly votes: bigint }[];
  readonly keyOwners: readonly { readonly key: Address; readonly candidate: Address }[];
  /** The tally as stored, sorted: kept apart from `candidates` so a tally that drifted from the approvals shows. */
  readonly tally: readonly { readonly candidate: Address; readonly votes: bigint }[];
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byKey = <T>([a]: [string, T], [b]: [string, T]): number => byString(a, b);

export function snapshotRegistryState(state: RegistryState): RegistrySnapshot {
  return {
    parameters: { ...state.parameters },
    auditors: [...state.auditors].sort(byString),
    candidates: [...state.candidates.entries()]
      .sort(byKey)
      .map(([address, record]) => ({ address, ...record, votes: state.tally.get(address) ?? 0n })),
    approvals: [...state.approvals.entries()].sort(byKey).map(([voter, ballot]) => ({
      voter,
      candidates: [...ballot.entries()].sort(byKey).map(([candidate, registration]) => ({ candidate, registration })),
    })),
    power: [...state.power.entries()].sort(byKey).map(([account, votes]) => ({ account, votes })),
    keyOwners: [...state.keyOwners.entries()].sort(byKey).map(([key, candidate]) => ({ key, candidate })),
    tally: [...state.tally.entries()].sort(byKey).map(([candidate, votes]) => ({ candidate, votes })),
  };
}

const STATUS_CODES: Readonly<Record<CandidateStatus, number>> = {
  [CandidateStatus.Active]: 0,
  [CandidateStatus.Removed]: 1,
  [CandidateStatus.Refunded]: 2,
};
/** removalReason of a candidate never removed since its latest registration. */
const NO_REASON = 255;
const DIGEST_VERSION = 2n;

/** One 32-byte big-endian word, as 64 hex digits: a bigint, a number, a boolean or an address/hash. */
function word(value: bigint | number | boolean | string): string {
  if (typeof value === "string") return value.slice(2).padStart(64, "0");
  return BigInt(value).toString(16).padStart(64, "0");
}

function parameterWords(p: Readonly<RegistryParameters>): string[] {
  return [
    DIGEST_VERSION,
    p.threshold,
    p.minDeposit,
    p.unbondingPeriod,
    p.minRepresentatives,
    p.maxRepresentatives,
    p.candidatesPerSeat,
    p.maxVotesPerVoter,
  ].map(word);
}

function candidateWords(c: CandidateSnapshot): string[] {
  return [
    c.address,
    STATUS_CODES[c.status],
    c.operator,
    c.deposit,
    c.qualificationHash,
    c.credentialExpiry,
    c.signingKey,
    c.registration,
    c.removalReason ?? NO_REASON,
    c.refundableAt,
    c.refunded,
    c.slashed,
    c.votes,
  ].map(word);
}

/**
 * keccak256 over the snapshot written as 32-byte words, each list preceded by its length:
 *   version (2), threshold, minDeposit, unbondingPeriod, minRepresentatives, maxRepresentatives,
 *   candidatesPerSeat, maxVotesPerVoter,
 *   #auditors, auditor…,
 *   #candidates, (address, status 0/1/2, operator, deposit, qualificationHash, credentialExpiry,
 *                 signingKey, registration, removalReason or 255, refundableAt, refunded, slashed, votes)…,
 *   #voters, (voter, #approved, (candidate, registration)…)…,
 *   #accounts, (account, power)…, #keys, (key, candidate)…,
 *   #tally, (candidate, votes)…
 * (the layout abi.encodePacked gives for those words). Equal states give equal digests on every
 * machine. O(state): for comparisons and checks, not for the per-event path.
 */
export function stateDigest(state: RegistryState): Hex {
  const s = snapshotRegistryState(state);
  const words = parameterWords(s.parameters);
  words.push(word(s.auditors.length), ...s.auditors.map(word));
  words.push(word(s.candidates.length), ...s.candidates.flatMap(candidateWords));
  words.push(word(s.approvals.length));
  for (const a of s.approvals) {
    words.push(word(a.voter), word(a.candidates.length));
    for (const { candidate, registration } of a.candidates) words.push(word(candidate), word(registration));
  }
  words.push(word(s.power.length), ...s.power.flatMap((p) => [word(p.account), word(p.votes)]));
  words.push(word(s.keyOwners.length), ...s.keyOwners.flatMap((k) => [word(k.key), word(k.candidate)]));
  words.push(word(s.tally.length), ...s.tally.flatMap((t) => [word(t.candidate), word(t.votes)]));
  return `0x${keccak256(Buffer.from(words.join(""), "hex"))}` as Hex;
}
