import { EventEmitter } from "node:events";
import type { MempoolResult } from "../chain/mempool";
import type { BlockBody, BlockHeader, FinalizedBlock } from "../chain/types";
import type { Transaction } from "../chain/transaction";
import type { ConsensusMessage } from "../consensus/messages";
import type { Step } from "../consensus/tendermint";
import type { Effect, ValidatorCore } from "../consensus/validator";
import type { Logger } from "../log";
import { ValidationResult } from "../p2p/validationResult";
import { encodeConsensusMessage } from "../consensus/messageCodec";
import type { L1GovernanceSource } from "./l1EventSource";
import type { PowMiner } from "./powMiner";

/** The P2P topic of proposals, votes and commits. */
export const CONSENSUS_TOPIC = "consensus";

/** What the driver needs from the outside: publishing and persistence. */
export interface DriverPorts {
  publish(topic: string, data: Uint8Array): void;
  /** Persists a finalized block (the core already applied it); resolves when it is durable. */
  persist(finalized: FinalizedBlock): Promise<void>;
}

/** How an input reached the core: a sync import does not re-broadcast the blocks it imports. */
type Origin = "gossip" | "sync" | "local";

/**
 * Executes ValidatorCore effects in a real process, as node/sim/simulator.ts does in simulated
 * time: timers and ticks become setTimeout, broadcasts go to the P2P topic, mining goes to the
 * worker (a newer job abandons the older one), finalized blocks go to the store, and "invalid"
 * verdicts go back to the P2P layer as IGNORE/REJECT. Every core call is wrapped: a throw is
 * logged as our bug and the node keeps running.
 *
 * Events: "applied" (FinalizedBlock) as soon as the core applied a block, "finalized" once it is
 * durable, "fatal" (Error) if the store could not write it (the node must stop: its chain and its
 * store would diverge).
 */
export class ConsensusDriver extends EventEmitter {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    readonly core: ValidatorCore,
    private readonly source: L1GovernanceSource,
    private readonly miner: PowMiner | null,
    private readonly ports: DriverPorts,
    private readonly log: Logger,
  ) {
    super();
  }

  async start(): Promise<void> {
    await this.prepare([]);
    this.execute(
      this.call(() => this.core.start(Date.now())),
      "local",
    );
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.miner?.cancel();
  }

  /**
   * A message from peer `from`: fetch the L1 anchors it names (so the synchronous core can check
   * them), hand it to the core, run the effects, and say whether to forward it.
   */
  async onMessage(message: ConsensusMessage, from: string, origin: Origin = "gossip"): Promise<ValidationResult> {
    if (this.stopped) return ValidationResult.Ignore;
    await this.prepare(anchorsOf(message));
    const effects = this.call(() => this.core.onMessage(message, from, Date.now()));
    this.execute(effects, origin);
    const verdict = effects.find((e) => e.type === "invalid" && e.from === from);
    if (verdict?.type === "invalid") {
      this.log.debug(
        { from, verdict: verdict.verdict, reason: verdict.reason, message: message.type },
        "message refused",
      );
      return verdict.verdict === "reject" ? ValidationResult.Reject : ValidationResult.Ignore;
    }
    return ValidationResult.Accept;
  }

  /** A client transaction from JSON-RPC: into the mempool and out to the peers. */
  submitTransaction(tx: Transaction): MempoolResult {
    const { result, effects } = this.core.submitTransaction(tx, "local", Date.now());
    this.execute(effects, "local");
    return result;
  }

  /** The core needs the refs of its own anchor (election snapshot) and the message's anchors. */
  private async prepare(anchors: number[]): Promise<void> {
    try {
      await this.source.ensureRefs([this.core.state.l1Anchor.number, ...anchors]);
    } catch (err) {
      // L1 unreachable: the core then treats the anchor as unconfirmed (IGNORE / nil prevote).
      this.log.warn({ err: (err as Error).message }, "could not fetch L1 anchor headers");
    }
  }

  private call(fn: () => Effect[]): Effect[] {
    try {
      return fn();
    } catch (err) {
      this.log.error({ err: (err as Error).stack }, "consensus core failed on an input");
      return [];
    }
  }

  private execute(effects: readonly Effect[], origin: Origin): void {
    if (this.stopped) return;
    for (const effect of effects) {
      switch (effect.type) {
        case "broadcast":
          if (effect.message.type === "status") break; // sync runs over request/response (syncer.ts)
          if (origin === "sync" && effect.message.type === "commit") break;
          this.ports.publish(CONSENSUS_TOPIC, encodeConsensusMessage(effect.message));
          break;
        case "send":
          break; // only answers to status messages, which this driver never feeds to the core
        case "timer":
          this.schedule(effect.delayMs, () => this.onTimer(effect.step, effect.height, effect.round));
          break;
        case "tick":
          this.schedule(effect.delayMs, () =>
            this.execute(
              this.call(() => this.core.onTick(Date.now())),
              "local",
            ),
          );
          break;
        case "mine":
          this.mine(effect.height, effect.round, effect.header, effect.body);
          break;
        case "cancelMining":
          this.miner?.cancel();
          break;
        case "finalized":
          this.onFinalized(effect.finalized);
          break;
        case "invalid":
          break; // returned to the P2P layer by onMessage
        case "equivocation":
          this.log.warn({ first: effect.first, second: effect.second }, "equivocation observed");
          break;
      }
    }
  }

  private schedule(delayMs: number, fn: () => void): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) fn();
    }, delayMs);
    this.timers.add(timer);
  }

  private onTimer(step: Step, height: number, round: number): void {
    void this.prepare([]).then(() =>
      this.execute(
        this.call(() => this.core.onTimer(step, height, round, Date.now())),
        "local",
      ),
    );
  }

  private mine(height: number, round: number, header: BlockHeader, body: BlockBody): void {
    if (this.miner === null) return;
    void this.miner.mine(header).then(async (result) => {
      if (result.header === null || this.stopped) return;
      this.log.debug({ height, round, hashes: result.hashes, ms: result.ms }, "block mined");
      await this.prepare([]);
      this.execute(
        this.call(() => this.core.onMined(height, round, result.header!, body, Date.now())),
        "local",
      );
    });
  }

  private onFinalized(finalized: FinalizedBlock): void {
    this.miner?.cancel();
    this.emit("applied", finalized);
    this.ports.persist(finalized).then(
      () => this.emit("finalized", finalized),
      (err: Error) => {
        this.log.fatal({ err: err.message, height: finalized.block.header.height }, "store write failed");
        this.emit("fatal", err);
      },
    );
  }
}

function anchorsOf(message: ConsensusMessage): number[] {
  if (message.type === "proposal") return [message.block.header.l1AnchorNumber];
  if (message.type === "commit") return [message.finalized.block.header.l1AnchorNumber];
  return [];
}
