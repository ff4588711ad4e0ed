import type { VoteKind } from "../chain/voteDigest";
import type { Address, Hex } from "../types/primitives";
import type { VoteMessage } from "./messages";

/** nil is counted under this key. */
const NIL = "nil";

/**
 * Later, different votes kept per validator and (round, kind) besides its first: bounds what an
 * equivocating validator can make a node store; the oldest is dropped first (see `add`).
 */
export const MAX_CONFLICTING_VOTES = 4;

/** One (round, kind): every validator's first vote, and its later, conflicting ones. */
interface KindVotes {
  readonly first: Map<Address, VoteMessage>;
  readonly conflicting: Map<Address, VoteMessage[]>;
}

/**
 * The votes of one height, per round and kind. A second, different vote from the same validator is
 * equivocation: it is reported, and — as in the paper, where "2f+1 ⟨PREVOTE, h, r, id(v)⟩" counts
 * every validator that sent such a message — it counts for its value too, once per validator and
 * value. Counting only the first vote would let one equivocator halt the chain: it sends nil to
 * some honest nodes and v to others, the ones that saw v lock on it, and the others can never
 * accept its re-proposal, because the polka relayed with it holds the equivocator's v vote they
 * dropped (test/sim: the Byzantine voter found this). Safety does not need the first vote to win:
 * the quorum-intersection argument already allows f validators to vote for everything.
 */
export class VoteBook {
  private readonly rounds = new Map<number, Record<VoteKind, KindVotes>>();

  /**
   * Adds a verified member's vote; returns "added", "duplicate" or "equivocation". Conflicting
   * votes are kept up to MAX_CONFLICTING_VOTES per validator, the oldest dropped first: an
   * equivocator flooding junk values cannot keep a real one out for long, since honest nodes
   * resend the polka they relay on every heartbeat.
   */
  add(vote: VoteMessage): "added" | "duplicate" | "equivocation" {
    const votes = this.roundOf(vote.round)[vote.kind];
    const first = votes.first.get(vote.validator);
    if (first === undefined) {
      votes.first.set(vote.validator, vote);
      return "added";
    }
    if (first.blockHash === vote.blockHash) return "duplicate";
    const later = votes.conflicting.get(vote.validator) ?? [];
    if (later.some((v) => v.blockHash === vote.blockHash)) return "duplicate";
    if (later.length >= MAX_CONFLICTING_VOTES) later.shift();
    later.push(vote);
    votes.conflicting.set(vote.validator, later);
    return "equivocation";
  }

  /** The first vote `validator` cast for `kind` in `round`, if any. */
  firstOf(round: number, kind: VoteKind, validator: Address): VoteMessage | undefined {
    return this.rounds.get(round)?.[kind].first.get(validator);
  }

  /** Distinct validators that voted `kind` in `round` for `blockHash` (null = nil). */
  count(round: number, kind: VoteKind, blockHash: Hex | null): number {
    return this.votesFor(round, kind, blockHash).length;
  }

  /** One vote per validator that voted `kind` in `round` for `blockHash`: a polka or a certificate. */
  votesFor(round: number, kind: VoteKind, blockHash: Hex | null): VoteMessage[] {
    const votes = this.rounds.get(round)?.[kind];
    if (votes === undefined) return [];
    const key = blockHash ?? NIL;
    const out: VoteMessage[] = [];
    for (const v of votes.first.values()) if ((v.blockHash ?? NIL) === key) out.push(v);
    for (const later of votes.conflicting.values()) {
      const v = later.find((x) => (x.blockHash ?? NIL) === key);
      if (v !== undefined) out.push(v); // never the first's value: add keeps that a duplicate
    }
    return out;
  }

  /** Distinct validators that voted `kind` in `round`, for anything. */
  countAny(round: number, kind: VoteKind): number {
    return this.rounds.get(round)?.[kind].first.size ?? 0;
  }

  /** Validators with any vote in `round`. */
  voters(round: number): Set<Address> {
    const r = this.rounds.get(round);
    return new Set(r ? [...r.prevote.first.keys(), ...r.precommit.first.keys()] : []);
  }

  roundNumbers(): number[] {
    return [...this.rounds.keys()];
  }

  private roundOf(round: number): Record<VoteKind, KindVotes> {
    let r = this.rounds.get(round);
    if (r === undefined) {
      r = {
        prevote: { first: new Map(), conflicting: new Map() },
        precommit: { first: new Map(), conflicting: new Map() },
      };
      this.rounds.set(round, r);
    }
    return r;
  }
}
