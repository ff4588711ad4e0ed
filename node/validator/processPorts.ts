import { encodeTransaction } from "../chain/transaction";
import { encodeEvidence, evidenceHash, type Evidence } from "../chain/evidence";
import type { BlockHeader, FinalizedBlock } from "../chain/types";
import type { DriverPorts } from "../consensus/consensusDriver";
import type { Logger } from "../log";
import type { P2PNetwork } from "../p2p/p2pNetwork";
import { encodeConsensusMessage } from "../consensus/messageCodec";
import type { L1RegistryEventSource } from "./l1EventSource";
import type { PowMiner } from "./powMiner";

/** The P2P topic of proposals, votes and commits. */
export const CONSENSUS_TOPIC = "consensus";
/** The P2P topic of client transactions: the canonical transaction bytes (bodyCodec), nothing else. */
export const TRANSACTION_TOPIC = "transactions";
/** The P2P topic of equivocation evidence: its canonical bytes (node/chain/evidence.ts), nothing else. */
export const EVIDENCE_TOPIC = "evidence";

/**
 * The ConsensusDriver's ports in a real process: setTimeout and Date.now, the L1 follower's
 * headers, the P2P topics, the PoW worker and the store. A block is handed to `onApplied` as soon
 * as the core applied it and to `onDurable` once stored; a failed write goes to `onFatal` (the
 * node must stop: its chain and its store would diverge).
 */
export class ProcessPorts implements DriverPorts {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly p2p: P2PNetwork,
    private readonly source: Pick<L1RegistryEventSource, "ensureRefs">,
    private readonly miner: PowMiner | null,
    private readonly persist: (finalized: FinalizedBlock) => Promise<void>,
    private readonly log: Logger,
    private readonly on: {
      applied(finalized: FinalizedBlock): void;
      fatal(err: Error): void;
    },
  ) {}

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  now(): number {
    return Date.now();
  }

  schedule(delayMs: number, fn: () => void): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) fn();
    }, delayMs);
    this.timers.add(timer);
  }

  async prepare(anchors: readonly number[]): Promise<void> {
    try {
      await this.source.ensureRefs([...anchors]);
    } catch (err) {
      // L1 unreachable: the core then treats the anchor as unconfirmed (IGNORE / nil prevote).
      this.log.warn({ err: (err as Error).message }, "could not fetch L1 anchor headers");
    }
  }

  publish(message: Parameters<DriverPorts["publish"]>[0]): void {
    this.p2p.publish(CONSENSUS_TOPIC, encodeConsensusMessage(message));
  }

  publishTransaction(tx: Parameters<DriverPorts["publishTransaction"]>[0]): void {
    this.p2p.publish(TRANSACTION_TOPIC, encodeTransaction(tx));
  }

  mine(header: BlockHeader, found: (header: BlockHeader) => void): void {
    if (this.miner === null) return;
    void this.miner.mine(header).then((result) => {
      if (result.header === null || this.stopped) return;
      this.log.debug({ height: header.height, hashes: result.hashes, ms: result.ms }, "block mined");
      found(result.header);
    });
  }

  cancelMining(): void {
    this.miner?.cancel();
  }

  applied(finalized: FinalizedBlock): void {
    this.on.applied(finalized);
    this.persist(finalized).catch((err: Error) => {
      this.log.fatal({ err: err.message, height: finalized.block.header.height }, "store write failed");
      this.on.fatal(err);
    });
  }

  refused(from: string, verdict: "ignore" | "reject", reason: string, message: string): void {
    this.log.debug({ from, verdict, reason, message }, "message refused");
  }

  equivocation(effect: Parameters<DriverPorts["equivocation"]>[0]): void {
    this.log.warn({ first: effect.first, second: effect.second }, "equivocation observed");
  }

  publishEvidence(evidence: Evidence): void {
    this.log.warn(
      { hash: evidenceHash(evidence), kind: evidence.kind, signer: evidence.signer, height: evidence.height },
      "equivocation evidence found and published",
    );
    this.p2p.publish(EVIDENCE_TOPIC, encodeEvidence(evidence));
  }

  bug(err: Error): void {
    this.log.error({ err: err.stack }, "consensus core failed on an input");
  }
}
