import type { VoteKind } from "../chain/voteDigest";
import type { Address, Hex } from "../types/primitives";
import type { VoteMessage } from "./messages";

/** nil is counted under this key. */
const NIL = "nil";

/**
 * The votes of one height, per round and kind, at most one per validator: a second, different vote
 * from the same validator is equivocation; it is kept out of every count (first vote wins) and
 * reported, so a Byzantine validator can never be counted twice.
 */
export class VoteBook {
  private readonly rounds = new Map<number, Record<VoteKind, Map<Address, VoteMessage>>>();

  /** Adds a verified member's vote; returns "added", "duplicate" or "equivocation". */
  add(vote: VoteMessage): "added" | "duplicate" | "equivocation" {
    const byValidator = this.roundOf(vote.round)[vote.kind];
    const previous = byValidator.get(vote.validator);
    if (previous === undefined) {
      byValidator.set(vote.validator, vote);
      return "added";
    }
    return previous.blockHash === vote.blockHash ? "duplicate" : "equivocation";
  }

  /** Distinct validators that voted `kind` in `round` for `blockHash` (null = nil). */
  count(round: number, kind: VoteKind, blockHash: Hex | null): number {
    const key = blockHash ?? NIL;
    let n = 0;
    for (const v of this.votes(round, kind)) if ((v.blockHash ?? NIL) === key) n++;
    return n;
  }

  /** Distinct validators that voted `kind` in `round`, for anything. */
  countAny(round: number, kind: VoteKind): number {
    return this.rounds.get(round)?.[kind].size ?? 0;
  }

  votes(round: number, kind: VoteKind): Iterable<VoteMessage> {
    return this.rounds.get(round)?.[kind].values() ?? [];
  }

  /** Validators with any vote in `round`. */
  voters(round: number): Set<Address> {
    const r = this.rounds.get(round);
    return new Set(r ? [...r.prevote.keys(), ...r.precommit.keys()] : []);
  }

  roundNumbers(): number[] {
    return [...this.rounds.keys()];
  }

  private roundOf(round: number): Record<VoteKind, Map<Address, VoteMessage>> {
    let r = this.rounds.get(round);
    if (r === undefined) {
      r = { prevote: new Map(), precommit: new Map() };
      this.rounds.set(round, r);
    }
    return r;
  }
}
