import { AbiCoder, keccak256 } from "ethers";
import type { Address, Hex } from "../types/governance";
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

const DIGEST_TYPES = [
  "uint8",
  "uint256[5]",
  "address[]",
  "(address,uint8,address,uint256,bytes32,uint64,uint8,uint64,bool,uint256)[]",
  "(address,address[])[]",
  "(address,uint256)[]",
];
const DIGEST_VERSION = 1;

/**
 * keccak256 of the ABI encoding of the snapshot (version 1, parameters, auditors, candidates,
 * approvals, tally). Deterministic: equal states give equal digests on every machine. O(state):
 * meant for comparisons and checks, not for the per-event path.
 */
export function stateDigest(state: GovernanceState): Hex {
  const s = snapshotGovernanceState(state);
  const p = s.parameters;
  const encoded = AbiCoder.defaultAbiCoder().encode(DIGEST_TYPES, [
    DIGEST_VERSION,
    [p.threshold, p.minDeposit, p.unbondingPeriod, p.representativeCount, p.maxVotesPerVoter],
    s.auditors,
    s.candidates.map((c) => [
      c.address,
      STATUS_CODES[c.status],
      c.operator,
      c.deposit,
      c.qualificationHash,
      c.credentialExpiry,
      c.removalReason ?? NO_REASON,
      c.refundableAt,
      c.refunded,
      c.votes,
    ]),
    s.approvals.map((a) => [a.voter, a.candidates]),
    s.tally.map((t) => [t.candidate, t.votes]),
  ]);
  return keccak256(encoded) as Hex;
}
