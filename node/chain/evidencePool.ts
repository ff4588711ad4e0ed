import type { Hex } from "../types/primitives";
import type { ChainConfig, ChainState } from "./chainState";
import { encodeEvidence, evidenceHash, untimelyEvidence, verifyEvidence, type Evidence } from "./evidence";
import { isOffenceCommitted, offenceOf } from "./jail";

/** What the pool did with a piece of evidence: the gossip verdict (ACCEPT forwards it). */
export type EvidenceAdmission =
  | { readonly verdict: "accept"; readonly hash: Hex }
  | { readonly verdict: "ignore" | "reject"; readonly reason: string };

export interface EvidencePoolLimits {
  readonly maxCount: number;
  readonly maxBytes: number;
}

/** One set of 256 equivocating on votes and proposals fits twice over; a few hundred KiB at most. */
export const DEFAULT_EVIDENCE_POOL_LIMITS: EvidencePoolLimits = { maxCount: 1024, maxBytes: 256 * 1024 };

/**
 * Evidence waiting for a block: verified before it is kept (a forged piece is REJECTed, never
 * buffered), bounded in count and bytes, one piece per offence (an equivocating validator signs a
 * pair per step, but one piece jails it: the rest are IGNOREd, so a Byzantine node cannot fill the
 * pool with its own faults), dropped once its offence is committed or it has expired.
 */
export class EvidencePool {
  private readonly byHash = new Map<
    Hex,
    { readonly evidence: Evidence; readonly offence: string; readonly bytes: number }
  >();
  private readonly offences = new Set<string>();
  private bytes = 0;

  constructor(
    private readonly config: ChainConfig,
    private readonly limits: EvidencePoolLimits = DEFAULT_EVIDENCE_POOL_LIMITS,
  ) {}

  get size(): number {
    return this.byHash.size;
  }

  has(hash: Hex): boolean {
    return this.byHash.has(hash);
  }

  /** Verifies `e` against the chain's state and keeps it if it is new and there is room. */
  add(state: ChainState, e: Evidence): EvidenceAdmission {
    let hash: Hex;
    let bytes: number;
    try {
      bytes = encodeEvidence(e).length;
      hash = evidenceHash(e);
    } catch (err) {
      return { verdict: "reject", reason: `malformed evidence: ${(err as Error).message}` };
    }
    if (this.byHash.has(hash)) return { verdict: "ignore", reason: `evidence ${hash} already pooled` };
    const untimely = untimelyEvidence(this.config, state, e);
    if (untimely !== null) return { verdict: "ignore", reason: untimely };
    try {
      verifyEvidence(this.config, state, e);
    } catch (err) {
      return { verdict: "reject", reason: (err as Error).message };
    }
    const offence = offenceOf(state, e);
    if (isOffenceCommitted(state, e)) return { verdict: "ignore", reason: `offence ${offence} already committed` };
    if (this.offences.has(offence)) return { verdict: "ignore", reason: `offence ${offence} already pooled` };
    if (this.byHash.size >= this.limits.maxCount || this.bytes + bytes > this.limits.maxBytes) {
      return { verdict: "ignore", reason: `evidence pool full (${this.byHash.size} pieces, ${this.bytes} bytes)` };
    }
    this.byHash.set(hash, { evidence: e, offence, bytes });
    this.offences.add(offence);
    this.bytes += bytes;
    return { verdict: "accept", hash };
  }

  /** Pooled evidence, oldest first: what a proposer offers buildBlockTemplate. */
  pending(): Evidence[] {
    return [...this.byHash.values()].map((entry) => entry.evidence);
  }

  /** After each applied block: drops what was committed and what has expired. */
  prune(state: ChainState): void {
    for (const [hash, entry] of this.byHash) {
      if (!isOffenceCommitted(state, entry.evidence) && !this.expired(state, entry.evidence)) continue;
      this.byHash.delete(hash);
      this.offences.delete(entry.offence);
      this.bytes -= entry.bytes;
    }
  }

  private expired(state: ChainState, e: Evidence): boolean {
    return untimelyEvidence(this.config, state, e) !== null;
  }
}
