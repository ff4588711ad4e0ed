import { MempoolRejection, type MempoolResult } from "../chain/mempool";
import type { Transaction } from "../chain/transaction";
import type { Evidence } from "../chain/evidence";
import type { BlockBody, BlockHeader, FinalizedBlock } from "../chain/types";
import type { ImportVerdict } from "../sync/syncMachine";
import type { ConsensusMessage } from "./messages";
import type { Step } from "./tendermint";
import type { Effect, ValidatorCore } from "./validator";

/** What became of a peer's message: ACCEPT (forward), IGNORE (drop quietly), REJECT (drop, penalise). */
export type Verdict = "accept" | "ignore" | "reject";

/**
 * How long a proposal whose L1 anchor this node has not confirmed yet is held back, as a share of
 * the propose timeout: long enough for a follower one or two polls behind the proposer's to catch
 * up, short enough that the round's prevote is still cast in time.
 */
export const ANCHOR_WAIT_SHARE = 0.5;
/** How often a held-back proposal looks at the confirmed head again. */
export const ANCHOR_POLL_MS = 50;
/**
 * Proposals held back at once. Only a round's proposer can make us wait (proposals are screened
 * first); this bounds what an equivocating proposer's many versions cost: the rest go on at once.
 */
export const MAX_PROPOSALS_AWAITING_ANCHOR = 4;

/** How an input reached the core: a sync import does not re-broadcast the blocks it imports. */
export type Origin = "gossip" | "sync";

/** What the driver needs from its host: the node process (real time, P2P, worker, LevelDB) or the simulator. */
export interface DriverPorts {
  now(): number;
  /** Calls `fn` after `delayMs` (the driver drops it if stopped meanwhile). */
  schedule(delayMs: number, fn: () => void): void;
  /**
   * Makes the L1 headers of these anchors available to the synchronous core: a promise in the node
   * (an RPC may be needed), nothing in the simulator (its L1 answers at once).
   */
  prepare(anchors: readonly number[]): Promise<void> | void;
  /** Sends a message of ours to every peer (the consensus topic). */
  publish(message: ConsensusMessage): void;
  /** Sends a transaction submitted here to every peer (the transaction topic); peers forward it once. */
  publishTransaction(tx: Transaction): void;
  /** Finds a nonce for `header` and calls `found`; a newer job or cancelMining abandons it. */
  mine(header: BlockHeader, found: (header: BlockHeader) => void): void;
  cancelMining(): void;
  /** The core applied `finalized`: store it (and whatever bookkeeping the host does). */
  applied(finalized: FinalizedBlock): void;
  /** A peer's message the core refused, with the core's reason. */
  refused(from: string, verdict: "ignore" | "reject", reason: string, message: string): void;
  equivocation(effect: Extract<Effect, { type: "equivocation" }>): void;
  /** Sends evidence this node found to every peer (the evidence topic); peers forward it once. */
  publishEvidence(evidence: Evidence): void;
  /** The core threw on an input: our bug, logged; the node keeps running. */
  bug(err: Error): void;
}

/**
 * Executes ValidatorCore effects through ports: timers and ticks become scheduled calls, broadcasts
 * are published, mining goes to the miner (a newer job or a round change abandons the older one),
 * decisions go to `applied`, and refusals become the verdicts the P2P layer acts on. The node and
 * the simulator both run this driver, so the simulator checks the node's effect handling too.
 */
export class ConsensusDriver {
  private stopped = false;
  /** Set once the core has started: messages before that are IGNOREd (see onMessage). */
  private started = false;
  /** The mining job out with the miner, if any: a result for another job is stale. */
  private job: { height: number; round: number } | null = null;
  /** Proposals held back until our L1 view confirms their anchor (awaitAnchor). */
  private awaitingAnchor = 0;

  constructor(
    readonly core: ValidatorCore,
    private readonly ports: DriverPorts,
  ) {}

  start(): void {
    this.whenPrepared([], () => {
      this.started = true;
      this.execute(
        this.call(() => this.core.start(this.ports.now())),
        "gossip",
      );
    });
  }

  /** A peer connected: it gets our current messages now, not at the next tick. */
  resendOwnMessages(): void {
    if (!this.started || this.stopped) return;
    this.execute(
      this.call(() => this.core.resendOwnMessages(this.ports.now())),
      "gossip",
    );
  }

  stop(): void {
    this.stopped = true;
    this.job = null;
    this.ports.cancelMining();
  }

  /**
   * A consensus message from peer `from`: once the L1 anchors it names are at hand, the core takes
   * it; `done` gets the verdict (at once in the simulator, after the L1 look-up in the node).
   */
  onMessage(message: ConsensusMessage, from: string, origin: Origin, done: (verdict: Verdict) => void): void {
    // Before start the node has not checked its stored L1 view (startNode): a commit judged against
    // it could be applied on a dead fork's events, or an honest peer's refused. IGNORE: not now —
    // the P2P layer reads a resent copy again, and sync fetches what was missed.
    if (this.stopped || !this.started) return done("ignore");
    // Signatures, membership and heights first: L1 is asked only about verified messages' anchors.
    const screened = this.core.screen(message, from);
    if (screened?.type === "invalid") {
      // Still shown to the core: a late precommit for the head block joins its certificate.
      const effects = this.call(() => this.core.onRefused(message, from, this.ports.now()));
      this.execute(effects, origin);
      const refusal = effects.find((e): e is Refusal => e.type === "invalid" && e.from === from) ?? screened;
      this.ports.refused(from, refusal.verdict, refusal.reason, message.type);
      return done(refusal.verdict);
    }
    this.awaitAnchor(message, () =>
      this.whenPrepared(anchorsOf(message), () => {
        if (this.stopped) return done("ignore");
        const effects = this.call(() => this.core.onMessage(message, from, this.ports.now()));
        this.execute(effects, origin);
        const refusal = effects.find((e) => e.type === "invalid" && e.from === from);
        if (refusal?.type !== "invalid") return done("accept");
        this.ports.refused(from, refusal.verdict, refusal.reason, message.type);
        done(refusal.verdict);
      }),
    );
  }

  /**
   * A proposal anchored above our follower's confirmed head may only mean that our L1 view lags the
   * proposer's (another poll, another RPC endpoint): the confirmation depth is the genesis's, so
   * once our follower confirms the block it judges the anchor exactly as the proposer did. Hold the
   * proposal back until then, at most ANCHOR_WAIT_SHARE of the propose timeout on the driver's
   * clock; after that the core judges it as it is (an anchor still unconfirmed: nil prevote). An
   * anchor that does not exist or never confirms costs one bounded wait per proposal; an anchor at
   * or below our confirmed head (e.g. on a dead fork) is judged at once.
   */
  private awaitAnchor(message: ConsensusMessage, go: () => void): void {
    const anchor = message.type === "proposal" ? message.block.header.l1AnchorNumber : null;
    if (anchor === null || this.anchorConfirmed(anchor) || this.awaitingAnchor >= MAX_PROPOSALS_AWAITING_ANCHOR) {
      return go();
    }
    this.awaitingAnchor++;
    const deadline = this.ports.now() + Math.floor(this.core.deps.timeouts.proposeMs * ANCHOR_WAIT_SHARE);
    const check = () => {
      const now = this.ports.now();
      if (this.stopped || this.anchorConfirmed(anchor) || now >= deadline) {
        this.awaitingAnchor--;
        return go();
      }
      this.ports.schedule(Math.min(ANCHOR_POLL_MS, deadline - now), check);
    };
    check();
  }

  private anchorConfirmed(anchor: number): boolean {
    return this.core.deps.source.confirmedHead().number >= anchor;
  }

  /**
   * A block from the catch-up path, for the height after the head: applied, invalid (REJECT: the
   * peer that served it is at fault) or deferred (our L1 view cannot check it yet, or it is stale).
   */
  importFinalized(
    finalized: FinalizedBlock,
    from: string,
    done: (verdict: ImportVerdict, reason: string) => void,
  ): void {
    const height = finalized.block.header.height;
    this.onMessage({ type: "commit", finalized }, from, "sync", (verdict) => {
      if (this.core.state.height >= height) return done("applied", "");
      done(verdict === "reject" ? "invalid" : "deferred", `verdict ${verdict}`);
    });
  }

  /**
   * A client transaction, from JSON-RPC (`from` = "local") or the transaction topic: into the
   * mempool if acceptable. Only a local one is published (again, if it was pending here already):
   * one from a peer is forwarded by the gossip layer on ACCEPT, so each peer gets it once. Only a
   * badly formed or badly signed one is the sender's fault (REJECT).
   */
  submitTransaction(tx: Transaction, from = "local"): { result: MempoolResult; verdict: Verdict } {
    const mempool = this.core.deps.mempool;
    if (mempool === undefined) {
      return { result: { accepted: false, reason: MempoolRejection.FULL, detail: "no mempool" }, verdict: "ignore" };
    }
    let result: MempoolResult;
    try {
      result = mempool.add(tx, this.core.state.accountNonces.get(tx.from) ?? 0n, this.ports.now());
    } catch (err) {
      result = { accepted: false, reason: MempoolRejection.BAD_TRANSACTION, detail: (err as Error).message };
    }
    if (result.accepted) {
      if (from === "local" && !this.stopped) this.ports.publishTransaction(tx);
      return { result, verdict: "accept" };
    }
    // A client sending again what is pending here: it may never have left this node (no peers
    // then, or all full), so it goes out again; a peer that has it drops the copy as seen.
    if (from === "local" && result.reason === MempoolRejection.DUPLICATE && !this.stopped)
      this.ports.publishTransaction(tx);
    return { result, verdict: result.reason === MempoolRejection.BAD_TRANSACTION ? "reject" : "ignore" };
  }

  /**
   * Equivocation evidence from the evidence topic: into the pool if it verifies (ACCEPT: the gossip
   * layer forwards it), IGNOREd if known, committed, expired or the pool is full, REJECTed (the
   * peer penalised) if it does not prove what it claims.
   */
  submitEvidence(evidence: Evidence): { verdict: Verdict; reason: string } {
    const pool = this.core.deps.evidencePool;
    if (pool === undefined || this.stopped) return { verdict: "ignore", reason: "no evidence pool" };
    const admission = pool.add(this.core.state, evidence);
    return admission.verdict === "accept"
      ? { verdict: "accept", reason: "" }
      : { verdict: admission.verdict, reason: admission.reason };
  }

  private whenPrepared(anchors: number[], fn: () => void): void {
    const pending = this.ports.prepare([this.core.state.l1Anchor.number, ...anchors]);
    if (pending === undefined) fn();
    else void pending.then(fn, fn); // L1 unreachable: the core treats the anchor as unconfirmed
  }

  private call(fn: () => Effect[]): Effect[] {
    try {
      return fn();
    } catch (err) {
      this.ports.bug(err as Error);
      return [];
    }
  }

  private execute(effects: readonly Effect[], origin: Origin): void {
    if (this.stopped) return;
    for (const effect of effects) {
      switch (effect.type) {
        case "broadcast":
          if (origin === "sync" && effect.message.type === "commit") break; // peers sync themselves
          this.ports.publish(effect.message);
          break;
        case "timer":
          this.after(effect.delayMs, () => this.onTimer(effect.step, effect.height, effect.round));
          break;
        case "tick":
          this.after(effect.delayMs, () =>
            this.execute(
              this.call(() => this.core.onTick(this.ports.now())),
              "gossip",
            ),
          );
          break;
        case "mine":
          this.mine(effect.height, effect.round, effect.header, effect.body);
          break;
        case "cancelMining":
          this.job = null;
          this.ports.cancelMining();
          break;
        case "finalized":
          this.job = null;
          this.ports.cancelMining();
          this.ports.applied(effect.finalized);
          break;
        case "invalid":
          break; // handed back to the caller of onMessage as its verdict
        case "equivocation":
          this.ports.equivocation(effect);
          break;
        case "heartbeat":
          // Already in the mempool from an earlier block: publish it again, it may have been lost.
          if (!this.submitTransaction(effect.tx).result.accepted && !this.stopped) {
            this.ports.publishTransaction(effect.tx);
          }
          break;
        case "evidence":
          this.ports.publishEvidence(effect.evidence);
          break;
      }
    }
  }

  private after(delayMs: number, fn: () => void): void {
    if (this.stopped) return;
    this.ports.schedule(delayMs, () => {
      if (!this.stopped) fn();
    });
  }

  private onTimer(step: Step, height: number, round: number): void {
    this.whenPrepared([], () =>
      this.execute(
        this.call(() => this.core.onTimer(step, height, round, this.ports.now())),
        "gossip",
      ),
    );
  }

  private mine(height: number, round: number, header: BlockHeader, body: BlockBody): void {
    const job = { height, round };
    this.job = job;
    this.ports.mine(header, (sealed) => {
      if (this.stopped || this.job !== job) return; // abandoned: a newer job or the round moved on
      this.job = null;
      this.whenPrepared([], () =>
        this.execute(
          this.call(() => this.core.onMined(height, round, sealed, body, this.ports.now())),
          "gossip",
        ),
      );
    });
  }
}

type Refusal = Extract<Effect, { type: "invalid" }>;

function anchorsOf(message: ConsensusMessage): number[] {
  if (message.type === "proposal") return [message.block.header.l1AnchorNumber];
  if (message.type === "commit") return [message.finalized.block.header.l1AnchorNumber];
  return [];
}
