import { maxFaulty, quorum } from "../chain/epochs";
import type { Block } from "../chain/types";
import type { VoteKind } from "../chain/voteDigest";
import type { Address, Hex } from "../types/primitives";
import type { VerifiedProposal, VoteMessage } from "./messages";
import { VoteBook } from "./voteBook";

export type Step = "propose" | "prevote" | "precommit";

export interface TimeoutConfig {
  readonly proposeMs: number;
  readonly prevoteMs: number;
  readonly precommitMs: number;
  /** Each timeout grows by this much per round, so after GST some round is long enough for all. */
  readonly roundDeltaMs: number;
}

/** What the machine needs to know about one height: who votes, who proposes, what is valid. */
export interface HeightContext {
  readonly height: number;
  readonly validators: readonly Address[];
  readonly proposer: (round: number) => Address;
  /** valid(v) of the paper: the full block verification (PoW, signature, parent, anchor, events…). */
  readonly isValid: (block: Block, blockHash: Hex) => boolean;
}

export type TendermintOutput =
  /** This node is proposer(h, r) and has no valid value: build and mine a fresh block. */
  | { readonly type: "mine"; readonly height: number; readonly round: number }
  | {
      readonly type: "propose";
      readonly height: number;
      readonly round: number;
      readonly validRound: number;
      readonly block: Block;
      /** For a re-proposal (validRound ≥ 0): the 2f+1 prevotes of validRound, to relay with it. */
      readonly polka: readonly VoteMessage[];
    }
  | {
      readonly type: "vote";
      readonly kind: VoteKind;
      readonly height: number;
      readonly round: number;
      readonly blockHash: Hex | null;
      /** Set on the precommit that locks: to be persisted before the precommit is released. */
      readonly lock?: LockEvidence;
    }
  | {
      readonly type: "timeout";
      readonly step: Step;
      readonly height: number;
      readonly round: number;
      readonly delayMs: number;
    }
  | {
      readonly type: "decide";
      readonly height: number;
      readonly round: number;
      readonly block: Block;
      readonly precommits: readonly VoteMessage[];
    }
  | { readonly type: "equivocation"; readonly first: VoteMessage; readonly second: VoteMessage }
  /** Two proposals of one round for different blocks, both signed by its proposer. */
  | { readonly type: "proposalEquivocation"; readonly first: VerifiedProposal; readonly second: VerifiedProposal };

/**
 * A lock with what is needed to act on it after a crash: the block itself (to re-propose it) and
 * the polka — 2f+1 prevotes of `round` — that justifies it to validators that missed them.
 */
export interface LockEvidence {
  readonly round: number;
  readonly blockHash: Hex;
  readonly block: Block;
  readonly polka: readonly VoteMessage[];
}

/**
 * Deliberate bugs, for tests that show the simulator's invariants can fail. Never set in a node.
 *  - disableLocking: forget locks and valid values (Tendermint without its safety mechanism);
 *  - weakQuorum: act on f+1 votes instead of 2f+1 (two partitions can then both decide).
 */
export interface ConsensusFaults {
  readonly disableLocking?: boolean;
  readonly weakQuorum?: boolean;
}

/** Where a restarted validator picks a height up again. */
export interface ResumePoint {
  readonly round: number;
  readonly lock: LockEvidence | null;
}

/** Rounds further ahead than this are ignored: bounds the memory a Byzantine validator can fill. */
export const MAX_ROUNDS_AHEAD = 64;
/** Upper bound on rule passes per input (each pass changes the step or stops). */
const MAX_RULE_PASSES = 16;

/**
 * Tendermint, Algorithm 1 of Buchman, Kwon and Milosevic, "The latest gossip on BFT consensus"
 * (2018), for one validator, as a pure state machine: inputs are verified messages, fired
 * timeouts and mined blocks; outputs say what to sign and broadcast, which timers to start and
 * what was decided. It never signs, sends, reads a clock or touches a disk. Line numbers in
 * comments refer to the paper. Votes are fed back to it by the driver after signing (its own
 * included), so what it counts is exactly what was released.
 */
export class Tendermint {
  height = 0;
  round = 0;
  step: Step = "propose";
  decided = false;
  private lockedHash: Hex | null = null;
  private lockedRound = -1;
  private validValue: { block: Block; hash: Hex } | null = null;
  private validRound = -1;
  private ctx: HeightContext | null = null;
  private proposals = new Map<number, VerifiedProposal>();
  private blocks = new Map<Hex, Block>();
  private votes = new VoteBook();
  private validity = new Map<Hex, boolean>();
  private fired = new Set<string>();

  constructor(
    private readonly self: Address | null,
    private readonly timeouts: TimeoutConfig,
    private readonly faults: ConsensusFaults = {},
  ) {}

  private get unsafeDisableLocking(): boolean {
    return this.faults.disableLocking === true;
  }

  /**
   * Starts a height (after the previous decision was applied). A restarted validator resumes at
   * the round it last signed in, with the lock it persisted: forgetting a lock would let it
   * prevote a conflicting value later, which is how a crash turns into a safety fault.
   */
  startHeight(ctx: HeightContext, resume: ResumePoint = { round: 0, lock: null }): TendermintOutput[] {
    const round = resume.round;
    this.ctx = ctx;
    this.height = ctx.height;
    this.decided = false;
    this.proposals = new Map();
    this.blocks = new Map();
    this.votes = new VoteBook();
    this.validity = new Map();
    this.fired = new Set();
    const lock = this.unsafeDisableLocking ? null : resume.lock;
    this.lockedHash = lock?.blockHash ?? null;
    this.lockedRound = lock?.round ?? -1;
    // A locked value is also a valid value (its polka is the lock's), so it can be re-proposed.
    this.validValue = lock ? { block: lock.block, hash: lock.blockHash } : null;
    this.validRound = lock?.round ?? -1;
    if (lock) {
      this.blocks.set(lock.blockHash, lock.block);
      for (const v of lock.polka) this.votes.add(v);
    }
    const out: TendermintOutput[] = [];
    this.startRound(round, out);
    return this.runRules(out);
  }

  onProposal(p: VerifiedProposal): TendermintOutput[] {
    if (!this.accepts(p.height, p.round) || p.block.header.height !== p.height) return [];
    const previous = this.proposals.get(p.round);
    if (previous !== undefined) {
      // The first proposal stays the round's; a different second one is proof of a Byzantine proposer.
      return previous.blockHash === p.blockHash ? [] : [{ type: "proposalEquivocation", first: previous, second: p }];
    }
    this.proposals.set(p.round, p);
    this.blocks.set(p.blockHash, p.block);
    return this.runRules([]);
  }

  onVote(v: VoteMessage): TendermintOutput[] {
    if (!this.accepts(v.height, v.round) || !this.ctx!.validators.includes(v.validator)) return [];
    const result = this.votes.add(v);
    if (result === "equivocation") {
      const first = this.votes.firstOf(v.round, v.kind, v.validator)!;
      // Reported, and counted for its value too (voteBook.ts says why).
      return this.runRules([{ type: "equivocation", first, second: v }]);
    }
    return result === "added" ? this.runRules([]) : [];
  }

  /** Lines 57–66: a timeout only acts if the machine is still where it was when it was scheduled. */
  onTimeout(step: Step, height: number, round: number): TendermintOutput[] {
    if (this.ctx === null || this.decided || height !== this.height || round !== this.round) return [];
    const out: TendermintOutput[] = [];
    if (step === "propose" && this.step === "propose") {
      this.broadcastVote("prevote", null, out);
      this.step = "prevote";
    } else if (step === "prevote" && this.step === "prevote") {
      this.broadcastVote("precommit", null, out);
      this.step = "precommit";
    } else if (step === "precommit") {
      this.startRound(this.round + 1, out);
    }
    return this.runRules(out);
  }

  /** The block this node mined for (h, r) is ready; propose it if still proposer at (h, r). */
  onBlockMined(height: number, round: number, block: Block): TendermintOutput[] {
    if (this.ctx === null || this.decided || height !== this.height || round !== this.round) return [];
    if (this.step !== "propose" || this.ctx.proposer(round) !== this.self) return [];
    return [{ type: "propose", height, round, validRound: -1, block, polka: [] }];
  }

  /** Lines 11–21. */
  private startRound(round: number, out: TendermintOutput[]): void {
    const ctx = this.ctx!;
    this.round = round;
    this.step = "propose";
    if (ctx.proposer(round) === this.self) {
      if (this.validValue !== null && !this.unsafeDisableLocking) {
        const hash = this.validValue.hash;
        const polka = this.votes.votesFor(this.validRound, "prevote", hash);
        out.push({
          type: "propose",
          height: this.height,
          round,
          validRound: this.validRound,
          block: this.validValue.block,
          polka,
        });
      } else {
        out.push({ type: "mine", height: this.height, round });
      }
    }
    // The paper schedules this for non-proposers only; the proposer needs it too, because mining
    // may be slow or its own proposal may be refused by the equivocation guard after a restart.
    out.push({
      type: "timeout",
      step: "propose",
      height: this.height,
      round,
      delayMs: this.timeoutMs("propose", round),
    });
  }

  private accepts(height: number, round: number): boolean {
    return (
      this.ctx !== null &&
      !this.decided &&
      height === this.height &&
      round >= 0 &&
      round <= this.round + MAX_ROUNDS_AHEAD
    );
  }

  private timeoutMs(step: Step, round: number): number {
    const base =
      step === "propose"
        ? this.timeouts.proposeMs
        : step === "prevote"
          ? this.timeouts.prevoteMs
          : this.timeouts.precommitMs;
    return base + round * this.timeouts.roundDeltaMs;
  }

  private valid(block: Block, hash: Hex): boolean {
    // Only "valid" is cached: an "invalid" may become valid once this node's L1 view catches up.
    if (this.validity.get(hash) === true) return true;
    const ok = this.ctx!.isValid(block, hash);
    if (ok) this.validity.set(hash, true);
    return ok;
  }

  private broadcastVote(kind: VoteKind, blockHash: Hex | null, out: TendermintOutput[], lock?: LockEvidence): void {
    if (this.self !== null && this.ctx!.validators.includes(this.self)) {
      out.push({ type: "vote", kind, height: this.height, round: this.round, blockHash, ...(lock ? { lock } : {}) });
    }
  }

  private once(key: string): boolean {
    if (this.fired.has(key)) return false;
    this.fired.add(key);
    return true;
  }

  /** Evaluates the upon-rules until none fires (bounded), appending their outputs to `out`. */
  private runRules(out: TendermintOutput[]): TendermintOutput[] {
    for (let pass = 0; pass < MAX_RULE_PASSES && !this.decided; pass++) {
      const before = `${this.round}/${this.step}/${out.length}`;
      this.ruleDecide(out);
      if (this.decided) break;
      this.ruleSkipRound(out);
      this.ruleProposal(out);
      this.rulePrevoteQuorum(out);
      this.rulePrecommitQuorum(out);
      if (`${this.round}/${this.step}/${out.length}` === before) break;
    }
    return out;
  }

  private get q(): number {
    const n = this.ctx!.validators.length;
    return this.faults.weakQuorum ? maxFaulty(n) + 1 : quorum(n);
  }

  /** Lines 22–33: the first vote of the round, on the round's proposal. */
  private ruleProposal(out: TendermintOutput[]): void {
    const p = this.proposals.get(this.round);
    if (this.step !== "propose" || p === undefined) return;
    const locked = this.unsafeDisableLocking ? -1 : this.lockedRound;
    const lockedOnIt = this.lockedHash === p.blockHash;
    if (p.validRound === -1) {
      const ok = this.valid(p.block, p.blockHash) && (locked === -1 || lockedOnIt);
      this.broadcastVote("prevote", ok ? p.blockHash : null, out);
      this.step = "prevote";
    } else if (
      p.validRound >= 0 &&
      p.validRound < this.round &&
      this.votes.count(p.validRound, "prevote", p.blockHash) >= this.q
    ) {
      const ok = this.valid(p.block, p.blockHash) && (locked <= p.validRound || lockedOnIt);
      this.broadcastVote("prevote", ok ? p.blockHash : null, out);
      this.step = "prevote";
    }
  }

  /** Lines 34–46. */
  private rulePrevoteQuorum(out: TendermintOutput[]): void {
    const r = this.round;
    if (this.step === "prevote" && this.votes.countAny(r, "prevote") >= this.q && this.once(`prevote-timeout/${r}`)) {
      out.push({
        type: "timeout",
        step: "prevote",
        height: this.height,
        round: r,
        delayMs: this.timeoutMs("prevote", r),
      });
    }
    const p = this.proposals.get(r);
    if (p !== undefined && this.step !== "propose" && this.votes.count(r, "prevote", p.blockHash) >= this.q) {
      if (this.valid(p.block, p.blockHash) && this.once(`polka/${r}`)) {
        if (this.step === "prevote") {
          let lock: LockEvidence | undefined;
          if (!this.unsafeDisableLocking) {
            this.lockedHash = p.blockHash;
            this.lockedRound = r;
            const polka = this.votes.votesFor(r, "prevote", p.blockHash);
            lock = { round: r, blockHash: p.blockHash, block: p.block, polka };
          }
          this.broadcastVote("precommit", p.blockHash, out, lock);
          this.step = "precommit";
        }
        if (!this.unsafeDisableLocking) {
          this.validValue = { block: p.block, hash: p.blockHash };
          this.validRound = r;
        }
      }
    }
    if (this.step === "prevote" && this.votes.count(r, "prevote", null) >= this.q) {
      this.broadcastVote("precommit", null, out);
      this.step = "precommit";
    }
  }

  /** Lines 47–48. */
  private rulePrecommitQuorum(out: TendermintOutput[]): void {
    const r = this.round;
    if (this.votes.countAny(r, "precommit") >= this.q && this.once(`precommit-timeout/${r}`)) {
      out.push({
        type: "timeout",
        step: "precommit",
        height: this.height,
        round: r,
        delayMs: this.timeoutMs("precommit", r),
      });
    }
  }

  /**
   * Lines 49–54, in any round: 2f+1 precommits for id(v) and v known and valid → decide. The
   * block may have arrived in a proposal of another round; it is identified by its hash.
   */
  private ruleDecide(out: TendermintOutput[]): void {
    for (const r of this.votes.roundNumbers()) {
      for (const [hash, block] of this.blocks) {
        if (this.votes.count(r, "precommit", hash) < this.q || !this.valid(block, hash)) continue;
        const precommits = this.votes.votesFor(r, "precommit", hash);
        this.decided = true;
        out.push({ type: "decide", height: this.height, round: r, block, precommits });
        return;
      }
    }
  }

  /** Lines 55–56: f+1 validators already in a higher round → jump to it (the highest such). */
  private ruleSkipRound(out: TendermintOutput[]): void {
    const needed = maxFaulty(this.ctx!.validators.length) + 1;
    let target = -1;
    for (const r of this.votes.roundNumbers()) {
      if (r <= this.round || r <= target) continue;
      const senders = this.votes.voters(r);
      if (this.proposals.has(r)) senders.add(this.ctx!.proposer(r));
      if (senders.size >= needed) target = r;
    }
    if (target > this.round) this.startRound(target, out);
  }
}
