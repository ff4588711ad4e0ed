import { DEFAULT_MAX_BLOCK_BYTES, DEFAULT_MAX_TRANSACTION_BYTES } from "../chain/budgets";
import { MAX_TARGET } from "../chain/pow";
import { chainConfig, type ChainConfig } from "../chain/chainState";
import { epochOf } from "../chain/epochs";
import { validateGenesis, type Genesis } from "../chain/genesis";
import { registryCodec } from "../chain/registryView";
import { keyPairFromPrivateKey, type KeyPair } from "../chain/signing";
import { signTransaction } from "../chain/transaction";
import { toHex } from "../chain/bytes";
import type { BlockBody, BlockHeader } from "../chain/types";
import type { ConsensusMessage } from "../consensus/messages";
import type { ConsensusFaults, Step, TimeoutConfig } from "../consensus/tendermint";
import type { Effect } from "../consensus/validator";
import type { Address } from "../types/primitives";
import { EventQueue } from "./eventQueue";
import { mineSync } from "./instantMiner";
import { InvariantViolation, Invariants } from "./invariants";
import { CALM_NETWORK, SimNetwork } from "./network";
import { Prng } from "./prng";
import { SimL1 } from "./simL1";
import { SimNode } from "./simNode";

export interface SimOptions {
  readonly seed: number;
  /** Simulated time of faults (partitions, drops, kills) before GST. */
  readonly chaosMs?: number;
  /** Simulated time after GST, when the network is calm and every node is up. */
  readonly calmMs?: number;
  /** After GST, the longest stretch without a new finalized height before liveness is declared broken. */
  readonly livenessWindowMs?: number;
  /** Fault injection for tests that prove the invariants can fail. */
  readonly faults?: ConsensusFaults;
  readonly forgetSignStateOnRestart?: boolean;
  /**
   * Treat a REJECT verdict between honest nodes as a violation (default). Off only to show that a
   * broken variant is also caught by the agreement check, not just by its certificates' rejection.
   */
  readonly checkHonestRejects?: boolean;
}

export interface SimResult {
  readonly seed: number;
  readonly violation: InvariantViolation | null;
  readonly nodes: number;
  readonly heights: number[];
  readonly highestFinalized: number;
  readonly heightAtGst: number;
  readonly epochSets: number;
  readonly steps: number;
  readonly simTimeMs: number;
  readonly messages: number;
  /** Client transactions in finalized blocks. */
  readonly transactions: number;
}

type SimEvent =
  | { kind: "deliver"; to: number; from: number; message: ConsensusMessage }
  | { kind: "timer"; node: number; incarnation: number; step: Step; height: number; round: number }
  | {
      kind: "mined";
      node: number;
      incarnation: number;
      height: number;
      round: number;
      header: BlockHeader;
      body: BlockBody;
    }
  | { kind: "tick"; node: number; incarnation: number }
  | { kind: "client" }
  | { kind: "chaos" }
  | { kind: "gst" };

const TIMEOUTS: TimeoutConfig = { proposeMs: 300, prevoteMs: 150, precommitMs: 150, roundDeltaMs: 50 };
const MAX_QUEUE = 200_000;
const MAX_STEPS = 2_000_000;
const MINING_ATTEMPTS_MAX = 1_000_000;

/**
 * The deterministic simulator (after TigerBeetle's `src/simulator.zig`): one seed → one PRNG that
 * draws the cluster size, the keys, the L1 event stream, every network delay, drop, duplicate,
 * partition, kill and restart. Time is simulated. After every step the invariants are checked; the
 * first violation ends the run and is returned with the seed that replays it.
 */
export class Simulator {
  readonly prng: Prng;
  readonly nodes: SimNode[];
  readonly l1: SimL1;
  readonly config: ChainConfig;
  readonly invariants = new Invariants();
  private readonly network: SimNetwork;
  private readonly queue = new EventQueue<SimEvent>(MAX_QUEUE);
  private nowMs = 0;
  private gstAtMs: number;
  private endAtMs: number;
  private lastProgressMs = 0;
  private heightAtGst = 0;
  private messages = 0;
  private transactionsFinalized = 0;
  private readonly clients: KeyPair[];
  private steps = 0;

  constructor(private readonly options: SimOptions) {
    this.prng = new Prng(options.seed);
    this.network = new SimNetwork(this.prng);
    const n = this.prng.int(4, 7);
    const keys = Array.from({ length: n }, () => keyPairFromPrivateKey(this.prng.bytes32()));
    const voters = Array.from({ length: 8 }, () => keyPairFromPrivateKey(this.prng.bytes32()).address);
    this.clients = Array.from({ length: 3 }, () => keyPairFromPrivateKey(this.prng.bytes32()));
    this.l1 = new SimL1(
      this.prng,
      keys.map((k) => k.address),
      voters,
      400,
      3,
    );
    this.config = chainConfig(this.genesis(keys), registryCodec);
    this.nodes = keys.map(
      (key, i) =>
        new SimNode(
          i,
          key,
          this.l1.viewFor(this.prng.int(0, 300), () => this.nowMs),
        ),
    );
    this.gstAtMs = options.chaosMs ?? 3000;
    this.endAtMs = this.gstAtMs + (options.calmMs ?? 4000);
  }

  private genesis(keys: readonly KeyPair[]): Genesis {
    return validateGenesis({
      chainId: 1337n,
      l1: {
        auditorRegistry: `0x${"a1".repeat(20)}` as Address,
        candidateRegistry: `0x${"c1".repeat(20)}` as Address,
        voteRegistry: `0x${"d1".repeat(20)}` as Address,
        deploymentBlock: 1,
      },
      representatives: keys.slice(0, 4).map((k) => k.address),
      epochLength: this.prng.int(3, 6),
      // Below any real block time, so retargeting only ever eases the target: the simulator's
      // miner then stays at a few hashes per block (PoW itself is tested apart).
      targetBlockTimeMs: 1,
      initialPowTarget: MAX_TARGET >> 2n,
      timestamp: 0,
      maxBlockBytes: DEFAULT_MAX_BLOCK_BYTES,
      maxTransactionBytes: DEFAULT_MAX_TRANSACTION_BYTES,
    });
  }

  run(): SimResult {
    let violation: InvariantViolation | null = null;
    try {
      for (const node of this.nodes) this.boot(node);
      this.queue.push(this.prng.int(100, 500), { kind: "chaos" });
      this.queue.push(this.prng.int(50, 250), { kind: "client" });
      this.queue.push(this.gstAtMs, { kind: "gst" });
      this.loop();
      this.checkProgressSinceGst();
    } catch (err) {
      if (!(err instanceof InvariantViolation)) throw err;
      violation = err;
    }
    return {
      seed: this.options.seed,
      violation,
      nodes: this.nodes.length,
      heights: this.nodes.map((n) => n.blocks.length),
      highestFinalized: this.invariants.highestFinalized,
      heightAtGst: this.heightAtGst,
      epochSets: this.invariants.distinctEpochSets(),
      steps: this.steps,
      simTimeMs: this.nowMs,
      messages: this.messages,
      transactions: this.transactionsFinalized,
    };
  }

  private loop(): void {
    for (; this.steps < MAX_STEPS; this.steps++) {
      const next = this.queue.pop();
      if (next === undefined || next.at > this.endAtMs) break;
      this.nowMs = next.at;
      this.l1.advanceTo(this.nowMs);
      this.step(next.item);
      this.checkLiveness();
    }
  }

  private step(event: SimEvent): void {
    switch (event.kind) {
      case "deliver": {
        const node = this.nodes[event.to];
        if (node.core !== null) this.apply(node, node.core.onMessage(event.message, String(event.from), this.nowMs));
        break;
      }
      case "timer": {
        const node = this.nodes[event.node];
        if (node.core !== null && node.incarnation === event.incarnation) {
          this.apply(node, node.core.onTimer(event.step, event.height, event.round, this.nowMs));
        }
        break;
      }
      case "mined": {
        const node = this.nodes[event.node];
        const cancelled = node.cancelledJobs.delete(`${event.height}/${event.round}`);
        if (node.core !== null && node.incarnation === event.incarnation && !cancelled) {
          this.apply(node, node.core.onMined(event.height, event.round, event.header, event.body, this.nowMs));
        }
        break;
      }
      case "tick": {
        const node = this.nodes[event.node];
        if (node.core !== null && node.incarnation === event.incarnation)
          this.apply(node, node.core.onTick(this.nowMs));
        break;
      }
      case "client":
        this.client();
        break;
      case "chaos":
        this.chaos();
        break;
      case "gst":
        this.gst();
        break;
    }
  }

  /** Carries out a node's effects: sends, timers, mining, storage, and the invariant checks. */
  private apply(node: SimNode, effects: readonly Effect[]): void {
    for (const effect of effects) {
      switch (effect.type) {
        case "broadcast":
          this.invariants.onReleased(node.key.address, effect.message);
          for (const other of this.nodes) if (other !== node) this.send(node.index, other.index, effect.message);
          break;
        case "send":
          this.send(node.index, Number(effect.to), effect.message);
          break;
        case "timer":
          this.queue.push(this.nowMs + effect.delayMs, {
            kind: "timer",
            node: node.index,
            incarnation: node.incarnation,
            ...effect,
          });
          break;
        case "tick":
          this.queue.push(this.nowMs + effect.delayMs, {
            kind: "tick",
            node: node.index,
            incarnation: node.incarnation,
          });
          break;
        case "mine":
          this.mine(node, effect);
          break;
        case "cancelMining":
          node.cancelledJobs.add(`${effect.height}/${effect.round}`);
          break;
        case "finalized":
          this.onFinalized(node, effect.finalized);
          break;
        case "invalid":
          if (effect.verdict === "reject" && this.options.checkHonestRejects !== false)
            throw new InvariantViolation("honest-reject", `node ${node.index}: ${effect.reason}`);
          break;
        case "equivocation":
          break;
      }
    }
  }

  private send(from: number, to: number, message: ConsensusMessage): void {
    for (const delay of this.network.deliveries(from, to)) {
      this.messages++;
      this.queue.push(this.nowMs + delay, { kind: "deliver", to, from, message });
    }
  }

  private mine(node: SimNode, job: Extract<Effect, { type: "mine" }>): void {
    const header = mineSync(job.header, MINING_ATTEMPTS_MAX);
    if (header === null) return;
    const at = this.nowMs + this.prng.int(5, 60);
    this.queue.push(at, {
      kind: "mined",
      node: node.index,
      incarnation: node.incarnation,
      height: job.height,
      round: job.round,
      header,
      body: job.body,
    });
  }

  private onFinalized(node: SimNode, finalized: Extract<Effect, { type: "finalized" }>["finalized"]): void {
    node.blocks.push(finalized);
    const before = this.invariants.highestFinalized;
    this.invariants.onFinalized(node.index, finalized);
    if (finalized.block.header.height > before) {
      this.lastProgressMs = this.nowMs;
      this.transactionsFinalized += finalized.block.body.transactions.length;
    }
    const state = node.core!.state;
    const epoch = epochOf(state.height + 1, this.config.genesis.epochLength);
    this.invariants.onEpochSet(node.index, epoch, state.setsByEpoch.get(epoch) ?? []);
  }

  private boot(node: SimNode): void {
    const core = node.boot(this.config, TIMEOUTS, {
      forgetSignState: this.options.forgetSignStateOnRestart ?? false,
      faults: this.options.faults ?? {},
    });
    this.apply(node, core.start(this.nowMs));
  }

  /**
   * A client sends a signed transaction to a random live node: the account's next nonce on the
   * chain, or one or two beyond it (held back by the mempool until the gap closes).
   */
  private client(): void {
    const key = this.prng.pick(this.clients);
    const node = this.prng.pick(this.nodes);
    if (node.core !== null) {
      const next = node.core.state.accountNonces.get(key.address) ?? 0n;
      const nonce = next + BigInt(this.prng.int(0, 2));
      const tx = signTransaction(this.config.genesis.chainId, key, nonce, toHex(this.prng.bytes32()));
      this.apply(node, node.core.submitTransaction(tx, "local", this.nowMs).effects);
    }
    this.queue.push(this.nowMs + this.prng.int(20, 200), { kind: "client" });
  }

  /** One random fault (or repair) before GST, then the next chaos tick. */
  private chaos(): void {
    if (this.nowMs >= this.gstAtMs) return;
    const roll = this.prng.float();
    const c = this.network.conditions;
    const down = this.nodes.filter((n) => !n.up);
    if (roll < 0.2) c.partition = this.network.randomPartition(this.nodes.length);
    else if (roll < 0.35) c.partition = null;
    else if (roll < 0.5) this.nodes[this.prng.int(0, this.nodes.length - 1)].kill();
    else if (roll < 0.7 && down.length > 0) this.boot(this.prng.pick(down));
    else {
      c.dropProbability = this.prng.pick([0, 0.05, 0.2, 0.5]);
      c.duplicateProbability = this.prng.pick([0, 0.1, 0.3]);
      c.delayMsMax = this.prng.pick([20, 100, 400]);
    }
    this.queue.push(this.nowMs + this.prng.int(100, 700), { kind: "chaos" });
  }

  /** Global stabilisation: the network calms, partitions heal, every node is up. */
  private gst(): void {
    this.network.conditions = { ...CALM_NETWORK };
    for (const node of this.nodes) if (!node.up) this.boot(node);
    this.heightAtGst = this.invariants.highestFinalized;
    this.lastProgressMs = this.nowMs;
  }

  /** The run must end with more blocks than at GST: the liveness check was not vacuous. */
  private checkProgressSinceGst(): void {
    if (this.nowMs >= this.gstAtMs && this.invariants.highestFinalized <= this.heightAtGst) {
      throw new InvariantViolation("liveness", `no block finalized after GST (height ${this.heightAtGst})`);
    }
  }

  /** After GST, with every representative up and connected, a new height must come within the window. */
  private checkLiveness(): void {
    if (this.nowMs < this.gstAtMs) return;
    const window = this.options.livenessWindowMs ?? 3000;
    if (this.nowMs - this.lastProgressMs > window) {
      throw new InvariantViolation(
        "liveness",
        `no block finalized for ${this.nowMs - this.lastProgressMs} ms after GST (height ${this.invariants.highestFinalized})`,
      );
    }
  }
}

export function simulate(options: SimOptions): SimResult {
  return new Simulator(options).run();
}
