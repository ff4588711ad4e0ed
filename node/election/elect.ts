import { CandidateStatus, type CandidateRecord, type RegistryState } from "../registry/state";
import type { Address } from "../types/primitives";
import { ElectionError, ElectionErrorCode } from "./errors";
import type { Representative } from "./representative";
import { representativeCount } from "./representativeCount";
import { TopK } from "./topK";

export interface ElectionResult {
  /** The number of seats: the K rule at the election's block, or the override given. */
  readonly k: bigint;
  /** Unix seconds: credentials expiring at or before this instant do not qualify. */
  readonly snapshotTime: bigint;
  /** At most k, ordered by votes descending, then by lower address. */
  readonly representatives: readonly Representative[];
  /** Candidates that qualified (active, not slashed, credentials unexpired at snapshotTime), elected or not. */
  readonly eligibleCount: number;
  /** k minus the number elected: above zero when fewer than k candidates qualified. */
  readonly shortfall: bigint;
}

/** Active (so not removed, and a slashed registration is removed), and its credentials valid at the snapshot. */
export function isEligible(record: CandidateRecord, snapshotTime: bigint): boolean {
  return record.status === CandidateStatus.Active && !record.slashed && record.credentialExpiry > snapshotTime;
}

interface Standing {
  readonly address: Address;
  readonly votes: bigint;
}

/** More votes first; on a tie the lower address (lowercase hex, so string order is numeric order). */
export function ranksAbove(a: Standing, b: Standing): boolean {
  return a.votes > b.votes || (a.votes === b.votes && a.address < b.address);
}

function validateSeats(k: bigint | number | undefined): bigint | undefined {
  if (k === undefined) return undefined;
  if ((typeof k === "number" && !Number.isSafeInteger(k)) || (typeof k !== "number" && typeof k !== "bigint")) {
    throw new ElectionError({ code: ElectionErrorCode.INVALID_K, k: String(k) });
  }
  if (BigInt(k) < 0n) throw new ElectionError({ code: ElectionErrorCode.INVALID_K, k: String(k) });
  return BigInt(k);
}

function validateSnapshotTime(snapshotTime: bigint): void {
  if (typeof snapshotTime !== "bigint" || snapshotTime < 0n) {
    throw new ElectionError({ code: ElectionErrorCode.INVALID_SNAPSHOT_TIME, snapshotTime: String(snapshotTime) });
  }
}

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/**
 * Elects the top K eligible candidates of `state` at `snapshotTime`: a pure function of its
 * arguments, in O(C log K) for C candidates. K is the registry's rule applied to the number of
 * eligible candidates, with the rule's values standing in `state` (the election's block), unless
 * `seats` overrides it. Votes are the live weighted tally; approvals of an earlier registration
 * never count. When fewer than K qualify, all that qualify are elected and `shortfall` says how
 * many seats stay empty; a candidate with no votes still qualifies. `electable` is the L2 chain's
 * further condition on a signing key (node/chain/liveness.ts); a candidate it refuses counts as
 * not qualified, for K as well.
 */
export function elect(
  state: RegistryState,
  snapshotTime: bigint,
  seats?: bigint | number,
  electable: (signingKey: Address) => boolean = () => true,
): ElectionResult {
  const override = validateSeats(seats);
  validateSnapshotTime(snapshotTime);
  const bound = override ?? state.parameters.maxRepresentatives;
  const top = new TopK<Standing>(Number(min(bound, BigInt(state.candidates.size))), ranksAbove);
  let eligibleCount = 0;
  for (const [address, record] of state.candidates) {
    if (!isEligible(record, snapshotTime) || !electable(record.signingKey)) continue;
    eligibleCount++;
    top.offer({ address, votes: state.tally.get(address) ?? 0n });
  }
  const k = override ?? representativeCount(state.parameters, eligibleCount);
  const representatives = top
    .sorted()
    .slice(0, Number(min(k, BigInt(eligibleCount))))
    .map((s) => ({
      address: s.address,
      signingKey: (state.candidates.get(s.address) as CandidateRecord).signingKey,
      votes: s.votes,
    }));
  return { k, snapshotTime, representatives, eligibleCount, shortfall: k - BigInt(representatives.length) };
}
