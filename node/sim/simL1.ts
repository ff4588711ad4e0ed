import { ZERO_HASH, toHex } from "../chain/bytes";
import type { RegistryEventSource, L1BlockRef } from "../chain/registryPorts";
import { applyEvents, emptyRegistryState } from "../registry";
import type { Address, Hex } from "../types/primitives";
import type { RegistryEvent, RegistryEventBody } from "../registry/events";
import { RemovalReason } from "../registry/events";
import { fixedK, registration } from "../testing/staticL1";
import type { Prng } from "./prng";

interface SimL1Block extends L1BlockRef {
  readonly producedAtMs: number;
  /** Index of this block's first event in `events`. */
  readonly firstEvent: number;
  readonly eventCount: number;
}

/** Far future: the simulated credentials never expire. */
const CREDENTIAL_EXPIRY = 1n << 40n;
/** Upper bound on L1 blocks a run may produce. */
export const MAX_L1_BLOCKS = 100_000;

/** How the seeded L1 reorganises its newest blocks. */
export interface L1Reorgs {
  /** Blocks on top before a follower counts a block as confirmed (the node's `confirmations`). */
  readonly confirmations: number;
  /** Chance, per new block, that the newest blocks are replaced by a competing branch. */
  readonly probability: number;
  /**
   * Reorg depths, drawn from [minDepth, maxDepth]: at most `confirmations` keeps every confirmed
   * block canonical; deeper is the broken world in which a confirmed anchor can vanish (the
   * simulator must notice).
   */
  readonly minDepth: number;
  readonly maxDepth: number;
}

export const NO_REORGS: L1Reorgs = { confirmations: 0, probability: 0, minDepth: 0, maxDepth: 0 };

/**
 * A seeded L1: blocks at a fixed interval, each with a few random registry events — votes and
 * revocations, withdrawals, refunds, re-registrations, changes of K — so the representative set
 * moves between epochs. Events are drawn at random and kept only if the real governance reducer
 * accepts them, so the stream is always one the contracts could have emitted.
 */
export class SimL1 {
  private readonly blocks: SimL1Block[] = [];
  private readonly events: RegistryEvent[] = [];
  private readonly model = emptyRegistryState();
  /** Blocks replaced by reorgs so far, and the deepest reorg seen. */
  reorgedBlocks = 0;
  deepestReorg = 0;

  constructor(
    private readonly prng: Prng,
    private readonly candidates: readonly Address[],
    private readonly voters: readonly Address[],
    private readonly blockTimeMs: number,
    private readonly eventsPerBlockMax: number,
    private readonly reorgs: L1Reorgs = NO_REORGS,
  ) {
    this.blocks.push({ number: 0, hash: ZERO_HASH, timestamp: 0n, producedAtMs: 0, firstEvent: 0, eventCount: 0 });
    const setup: RegistryEventBody[] = [fixedK(4n)];
    for (const candidate of candidates) setup.push(this.registration(candidate));
    for (const voter of voters) setup.push(this.powerChange(voter, 0n));
    this.appendBlock(0, setup);
  }

  get head(): L1BlockRef {
    return this.blocks[this.blocks.length - 1];
  }

  /** Produces every block due by `nowMs`. */
  advanceTo(nowMs: number): void {
    while (this.blocks.length < MAX_L1_BLOCKS) {
      const due = this.blocks[this.blocks.length - 1].producedAtMs + this.blockTimeMs;
      if (due > nowMs) return;
      this.appendBlock(due, this.randomEvents());
      if (this.prng.chance(this.reorgs.probability))
        this.reorg(this.prng.int(this.reorgs.minDepth, this.reorgs.maxDepth));
    }
  }

  /** Whether (number, hash) is on the canonical chain now. */
  isCanonical(number: number, hash: Hex): boolean {
    return this.blocks[number]?.hash === hash;
  }

  /**
   * A competing branch replaces the newest `depth` blocks (never block 0): new block hashes, and
   * the same registry transactions mined again in it under new transaction hashes, as happens to
   * transactions of an orphaned branch. The events keep their order, so the registry model (and
   * every later draw) stays valid.
   */
  private reorg(depth: number): void {
    const from = Math.max(1, this.blocks.length - depth);
    for (let n = from; n < this.blocks.length; n++) {
      const old = this.blocks[n];
      const hash = toHex(this.prng.bytes32()) as Hex;
      this.blocks[n] = { ...old, hash };
      for (let i = old.firstEvent; i < old.firstEvent + old.eventCount; i++) {
        this.events[i] = { ...this.events[i], blockHash: hash, transactionHash: toHex(this.prng.bytes32()) as Hex };
      }
    }
    this.reorgedBlocks += this.blocks.length - from;
    this.deepestReorg = Math.max(this.deepestReorg, this.blocks.length - from);
  }

  /**
   * A follower's view: it sees a block `lagMs` after it was produced, and confirms it once
   * `confirmations` blocks are on top (as node/l1/follower.ts does), so a reorg no deeper than
   * that never changes what it has confirmed.
   */
  viewFor(lagMs: number, now: () => number): RegistryEventSource {
    const headIndex = () => {
      const cutoff = now() - lagMs;
      let i = this.blocks.length - 1;
      while (i > 0 && this.blocks[i].producedAtMs > cutoff) i--;
      return Math.max(0, i - this.reorgs.confirmations);
    };
    return {
      confirmedHead: () => this.blocks[headIndex()],
      blockRef: (n) => (Number.isInteger(n) && n >= 0 && n <= headIndex() ? this.blocks[n] : null),
      eventsBetween: (fromExclusive, toInclusive) => {
        const to = Math.min(toInclusive, headIndex());
        if (to <= fromExclusive) return [];
        const first = this.blocks[fromExclusive + 1].firstEvent;
        const last = this.blocks[to];
        return this.events.slice(first, last.firstEvent + last.eventCount);
      },
    };
  }

  private registration(candidate: Address): RegistryEventBody {
    const next = (this.model.candidates.get(candidate)?.registration ?? -1) + 2;
    return registration(candidate, CREDENTIAL_EXPIRY, next);
  }

  /** The voting token moves `voter`'s power from what it holds to a new random amount (1–100 units). */
  private powerChange(voter: Address, previousVotes: bigint): RegistryEventBody {
    return { kind: "DelegateVotesChanged", delegate: voter, previousVotes, newVotes: BigInt(this.prng.int(1, 100)) };
  }

  private randomEvents(): RegistryEventBody[] {
    const out: RegistryEventBody[] = [];
    const n = this.prng.int(0, this.eventsPerBlockMax);
    for (let i = 0; i < n; i++) {
      const e = this.randomEvent();
      try {
        applyEvents(this.model, [e]);
        out.push(e);
      } catch {
        // Not something the contracts would emit in this state: draw again next time.
      }
    }
    return out;
  }

  private randomEvent(): RegistryEventBody {
    const roll = this.prng.float();
    const candidate = this.prng.pick(this.candidates);
    const voter = this.prng.pick(this.voters);
    const approved = this.model.approvals.get(voter)?.get(candidate);
    const registration = this.model.candidates.get(candidate)?.registration ?? 0;
    if (roll < 0.45) return { kind: "VoteCast", voter, candidate, registration };
    if (roll < 0.6) return { kind: "VoteRevoked", voter, candidate, registration: approved ?? registration };
    if (roll < 0.75) return this.powerChange(voter, this.model.power.get(voter) ?? 0n);
    if (roll < 0.82) return this.removal(candidate);
    if (roll < 0.89) return { kind: "RefundCredited", candidate, operator: candidate, amount: 0n };
    if (roll < 0.96) return this.registration(candidate);
    return fixedK(BigInt(this.prng.int(4, 6)));
  }

  private removal(candidate: Address): RegistryEventBody {
    return {
      kind: "CandidateRemoved",
      candidate,
      reason: RemovalReason.Withdrawn,
      remover: candidate,
      revocationReason: ZERO_HASH,
      refundableAt: 0n,
    };
  }

  private appendBlock(producedAtMs: number, bodies: readonly RegistryEventBody[]): void {
    const number = this.blocks.length;
    if (number === 1) applyEvents(this.model, bodies);
    const hash = toHex(this.prng.bytes32()) as Hex;
    const firstEvent = this.events.length;
    bodies.forEach((body, logIndex) => {
      this.events.push({
        ...body,
        blockNumber: number,
        blockHash: hash,
        transactionHash: toHex(this.prng.bytes32()) as Hex,
        logIndex,
      });
    });
    this.blocks.push({
      number,
      hash,
      timestamp: BigInt(Math.floor(producedAtMs / 1000)),
      producedAtMs,
      firstEvent,
      eventCount: bodies.length,
    });
  }
}
