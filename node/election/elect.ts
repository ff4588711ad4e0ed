import { CandidateStatus, type CandidateRecord, type GovernanceState } from "../registry/state";
import type { Address } from "../types/primitives";
import { ElectionError, ElectionErrorCode } from "./errors";
import type { Representative } from "./representative";
import { TopK } from "./topK";

export interface ElectionResult {
  /** The number of seats asked for. */
  readonly k: bigint;
  /** Unix seconds: credentials expiring at or before this instant do not qualify. */
  readonly snapshotTime: bigint;
  /** At most k, ordered by votes descending, then by lower address. */
  readonly representatives: readonly Representative[];
  /** Candidates that qualified (active, credentials unexpired at snapshotTime), elected or not. */
  readonly eligibleCount: number;
  /** k minus the number elected: above zero when fewer than k candidates qualified. */
  readonly shortfall: bigint;
}

/** Active, and its credentials still valid at the snapshot (expiry strictly after it). */
export function isEligible(record: CandidateRecord, snapshotTime: bigint): boolean {
  return record.status === CandidateStatus.Active && record.credentialExpiry > snapshotTime;
}

interface Standing {
  readonly address: Address;
  readonly votes: number;
}

/** More votes first; on a tie the lower address (lowercase hex, so string order is numeric order). */
export function ranksAbove(a: Standing, b: Standing): boolean {
  return a.votes > b.votes || (a.votes === b.votes && a.address < b.address);
}

function validate(k: bigint | number, snapshotTime: bigint): bigint {
  if ((typeof k === "number" && !Number.isSafeInteger(k)) || (typeof k !== "number" && typeof k !== "bigint")) {
    throw new ElectionError({ code: ElectionErrorCode.INVALID_K, k: String(k) });
  }
  if (BigInt(k) < 0n) throw new ElectionError({ code: ElectionErrorCode.INVALID_K, k: String(k) });
  if (typeof snapshotTime !== "bigint" || snapshotTime < 0n) {
    throw new ElectionError({ code: ElectionErrorCode.INVALID_SNAPSHOT_TIME, snapshotTime: String(snapshotTime) });
  }
  return BigInt(k);
}

/**
 * Elects the top k eligible candidates of `state` at `snapshotTime`: a pure function of its
 * arguments, in O(C log k) for C candidates. Approvals count whatever happened to the candidate
 * before (a re-registered candidate keeps the approvals it had). When fewer than k qualify, all
 * that qualify are elected and `shortfall` says how many seats stay empty; a candidate with no
 * votes still qualifies.
 */
export function elect(state: GovernanceState, k: bigint | number, snapshotTime: bigint): ElectionResult {
  const seats = validate(k, snapshotTime);
  const capacity = Number(seats < BigInt(state.candidates.size) ? seats : BigInt(state.candidates.size));
  const top = new TopK<Standing>(capacity, ranksAbove);
  let eligibleCount = 0;
  for (const [address, record] of state.candidates) {
    if (!isEligible(record, snapshotTime)) continue;
    eligibleCount++;
    top.offer({ address, votes: state.tally.get(address) ?? 0 });
  }
  const representatives = top.sorted().map((s) => ({ address: s.address, votes: BigInt(s.votes) }));
  return {
    k: seats,
    snapshotTime,
    representatives,
    eligibleCount,
    shortfall: seats - BigInt(representatives.length),
  };
}
