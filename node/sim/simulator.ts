import { MAX_TARGET } from "../chain/pow";
import { chainConfig, type ChainConfig } from "../chain/chainState";
import { epochOf } from "../chain/epochs";
import type { Genesis } from "../chain/genesis";
import { DEFAULT_MAX_TRANSACTION_BYTES, minimumMaxBlockBytes } from "../chain/budgets";
import { registryCodec } from "../chain/registryView";
import { keyPairFromPrivateKey, type KeyPair } from "../chain/signing";
import { signTransaction } from "../chain/transaction";
import { toHex } from "../chain/bytes";
import type { Transaction } from "../chain/transaction";
import type { Evidence } from "../chain/evidence";
import type { BlockHeader, FinalizedBlock } from "../chain/types";
import type { DriverPorts } from "../consensus/consensusDriver";
import type { ConsensusMessage } from "../consensus/messages";
import type { ConsensusFaults, TimeoutConfig } from "../consensus/tendermint";
import { batchWithinBytes, encodeConsensusMessage } from "../consensus/messageCodec";
import { gossipId } from "../p2p/seenCache";
import { VALIDATION_OF } from "../p2p/validationResult";
import { CONSENSUS_TOPIC } from "../validator/processPorts";
import type { SyncPorts } from "../sync/syncDriver";
import type { SyncEffect, SyncSettings } from "../sync/syncMachine";
import { ByzantineAdversary, type ByzantineStats } from "./byzantine";
import { EquivocationWatch } from "./equivocationWatch";
import { EventQueue } from "./eventQueue";
import { mineSync } from "./instantMiner";
import { InvariantViolation, Invariants } from "./invariants";
import { CALM_NETWORK, SimNetwork } from "./network";
import { Prng } from "./prng";
import { NO_REORGS, SimL1, type L1Reorgs } from "./simL1";
import { ReferenceChain } from "./referenceChain";
import { SimNode } from "./simNode";
import { testGenesis } from "../testing/genesis";

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
  /** Check each finalized height apart (validity, default); off only to show the other checks' reach. */
  readonly checkValidity?: boolean;
  /**
   * Cuts one node off from every other (messages both ways dropped) from the start until
   * `untilMs`, on top of whatever else happens: it must rejoin through the catch-up path.
   */
  readonly isolate?: { readonly node: number; readonly untilMs: number };
  /**
   * Adds a sync peer that lies to every node: it claims 2^53 − 1 ("high") or the asker's head + 1
   * ("next") and never serves a block, or ("forged") claims the real highest height and serves
   * real blocks whose certificates it stripped of their signatures.
   */
  readonly lyingSyncPeer?: LiarKind;
  /**
   * One of the genesis representatives is Byzantine (at most f of every set, since sets have 4–6
   * members): it equivocates as proposer and as voter, sends blocks over the byte budgets and
   * messages over the wire limit, and replays old messages (node/sim/byzantine.ts).
   */
  readonly byzantine?: boolean;
  /**
   * L1 reorganises its newest blocks: "within" the confirmation depth (every confirmed block stays
   * canonical), or "beyond" it by one or two blocks (the broken world: a confirmed anchor can vanish).
   */
  readonly l1Reorgs?: "within" | "beyond";
  /** Each node's clock runs ahead by a seeded 0..maxClockSkewMs (below the drift rule's 2 s). */
  readonly maxClockSkewMs?: number;
  /** Fault injection: the nodes' equivocation reports are lost (the evidence check must notice). */
  readonly loseEquivocationReports?: boolean;
  /** Fault injection: nodes keep no evidence pool, so no block carries evidence (must be noticed). */
  readonly withoutEvidencePool?: boolean;
}

export type LiarKind = "high" | "next" | "forged";

/** What the catch-up path did over a run. */
export interface SyncStats {
  /** Blocks applied through node/sync (not through consensus or a gossiped commit). */
  readonly importedBlocks: number;
  readonly honestPenalties: number;
  readonly liarPenalties: number;
  /** For `isolate`: the node's height when the link healed, the highest height then, and at the end. */
  readonly isolated: { readonly atHeal: number; readonly highestAtHeal: number; readonly atEnd: number } | null;
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
  readonly sync: SyncStats;
  /** What the Byzantine node did (null without one). */
  readonly byzantine: (ByzantineStats & { readonly node: number }) | null;
  /** Equivocations honest nodes were handed: votes (each reported, or the run failed) and proposals. */
  readonly equivocations: {
    readonly votes: number;
    readonly proposals: number;
    readonly reports: number;
    /** Validators honest nodes saw equivocate, and pieces of evidence in finalized blocks. */
    readonly offenders: number;
    readonly evidenceFinalized: number;
  };
  readonly l1: { readonly reorgedBlocks: number; readonly deepestReorg: number; readonly confirmations: number };
  readonly clockSkewsMs: number[];
}

/**
 * A scheduled call on one node: a timer of its incarnation (dropped if it was killed since), or a
 * network delivery (`incarnation` null: whoever is up there when it arrives takes it).
 */
type SimEvent =
  | { kind: "call"; node: number; incarnation: number | null; fn: () => void }
  | { kind: "client" }
  | { kind: "chaos" }
  | { kind: "gst" }
  | { kind: "heal" };

const TIMEOUTS: TimeoutConfig = { proposeMs: 300, prevoteMs: 150, precommitMs: 150, roundDeltaMs: 50 };
const MAX_QUEUE = 200_000;
const MAX_STEPS = 2_000_000;
const MINING_ATTEMPTS_MAX = 1_000_000;
/** The catch-up budgets, scaled to simulated delays (up to 400 ms before GST). */
const SYNC: SyncSettings = {
  statusIntervalMs: 200,
  requestTimeoutMs: 500,
  hedgeAfterMs: 150,
  batchBytes: 64 * 1024,
  maxBlocksPerRequest: 16,
  maxResponseBytes: 1024 * 1024,
  maxBufferBytes: 512 * 1024,
  maxInflightPerPeer: 2,
  backoffMs: 200,
  maxBackoffMs: 1600,
  deferRetryMs: 100,
};
const SYNC_TICK_MS = 100;
const LIAR = "liar";
/**
 * The simulated chain's block budget: the smallest a genesis may set, so that a message over the
 * consensus topic's wire limit (2 × maxBlockBytes + 256 KiB) is as cheap as it can be to build in
 * every run.
 */
const MAX_BLOCK_BYTES = minimumMaxBlockBytes(DEFAULT_MAX_TRANSACTION_BYTES);

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
  private syncImported = 0;
  private honestPenalties = 0;
  private liarPenalties = 0;
  private isolatedAtHeal: { atHeal: number; highestAtHeal: number } | null = null;
  private readonly watch: EquivocationWatch;
  private readonly reference: ReferenceChain;
  private readonly reorgs: L1Reorgs;
  /** The Byzantine node's index and its attacks, if the run has one. */
  private readonly byzantine: { readonly node: number; readonly adversary: ByzantineAdversary } | null;

  constructor(private readonly options: SimOptions) {
    this.prng = new Prng(options.seed);
    this.network = new SimNetwork(this.prng);
    const n = this.prng.int(4, 7);
    const keys = Array.from({ length: n }, () => keyPairFromPrivateKey(this.prng.bytes32()));
    const voters = Array.from({ length: 8 }, () => keyPairFromPrivateKey(this.prng.bytes32()).address);
    this.clients = Array.from({ length: 3 }, () => keyPairFromPrivateKey(this.prng.bytes32()));
    this.reorgs = this.l1Reorgs();
    this.l1 = new SimL1(
      this.prng,
      keys.map((k) => k.address),
      voters,
      400,
      3,
      this.reorgs,
    );
    this.config = chainConfig(this.genesis(keys), registryCodec, {
      unsafeWeakLastCommit: options.faults?.weakQuorum === true,
    });
    const maxSkew = options.maxClockSkewMs ?? 0;
    this.nodes = keys.map(
      (key, i) =>
        new SimNode(
          i,
          key,
          this.l1.viewFor(this.prng.int(0, 300), () => this.nowMs),
          this.prng.int(0, maxSkew),
        ),
    );
    this.reference = new ReferenceChain(
      this.config,
      this.l1.viewFor(0, () => this.nowMs),
    );
    this.byzantine = options.byzantine ? this.byzantineNode(keys) : null;
    this.gstAtMs = options.chaosMs ?? 3000;
    this.watch = new EquivocationWatch(this.config.genesis.chainId, this.gstAtMs);
    this.endAtMs = this.gstAtMs + (options.calmMs ?? 6000);
    if (options.isolate !== undefined) this.network.isolated = options.isolate.node;
  }

  private l1Reorgs(): L1Reorgs {
    if (this.options.l1Reorgs === undefined) return NO_REORGS;
    const confirmations = this.prng.int(1, 3);
    const within = this.options.l1Reorgs === "within";
    return {
      confirmations,
      probability: 0.25,
      minDepth: within ? 1 : confirmations + 1,
      maxDepth: within ? confirmations : confirmations + 2,
    };
  }

  /** A genesis representative turned Byzantine; its messages reach the others through `send`. */
  private byzantineNode(keys: readonly KeyPair[]) {
    const node = this.prng.int(0, 3);
    const peers = this.nodes.filter((n) => n.index !== node).map((n) => n.index);
    const adversary = new ByzantineAdversary(
      this.prng,
      keys[node],
      this.config,
      () => peers,
      (to, message) => this.send(node, to, () => this.deliver(this.nodes[to], message, String(node))),
    );
    return { node, adversary };
  }

  private isByzantine(node: SimNode | string): boolean {
    const index = typeof node === "string" ? Number(node) : node.index;
    return this.byzantine !== null && this.byzantine.node === index;
  }

  private genesis(keys: readonly KeyPair[]): Genesis {
    return testGenesis(
      keys.slice(0, 4).map((k) => k.address),
      {
        epochLength: this.prng.int(3, 6),
        // Below any real block time, so retargeting only ever eases the target: the simulator's
        // miner then stays at a few hashes per block (PoW itself is tested apart).
        targetBlockTimeMs: 1,
        initialPowTarget: MAX_TARGET >> 2n,
        timestamp: 0,
        maxBlockBytes: MAX_BLOCK_BYTES,
        l1Confirmations: this.reorgs.confirmations,
      },
    );
  }

  run(): SimResult {
    let violation: InvariantViolation | null = null;
    try {
      for (const node of this.nodes) this.boot(node, false);
      this.queue.push(this.prng.int(100, 500), { kind: "chaos" });
      this.queue.push(this.prng.int(50, 250), { kind: "client" });
      this.queue.push(this.gstAtMs, { kind: "gst" });
      if (this.options.isolate !== undefined) this.queue.push(this.options.isolate.untilMs, { kind: "heal" });
      this.loop();
      this.checkProgressSinceGst();
      this.reference.checkAnchors((number, hash) => this.l1.isCanonical(number, hash));
      this.checkEvidenceFinalized();
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
      sync: this.syncStats(),
      byzantine: this.byzantine === null ? null : { node: this.byzantine.node, ...this.byzantine.adversary.stats },
      equivocations: {
        votes: this.watch.votesSeen,
        proposals: this.watch.proposalsSeen,
        reports: this.watch.reports,
        offenders: this.watch.allOffenders.size,
        evidenceFinalized: this.reference.evidence,
      },
      l1: {
        reorgedBlocks: this.l1.reorgedBlocks,
        deepestReorg: this.l1.deepestReorg,
        confirmations: this.reorgs.confirmations,
      },
      clockSkewsMs: this.nodes.map((n) => n.clockSkewMs),
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
      case "call": {
        const node = this.nodes[event.node];
        if (node.up && (event.incarnation === null || event.incarnation === node.incarnation)) event.fn();
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
      case "heal":
        this.heal();
        break;
    }
  }

  /** Runs `fn` on `node` after `delayMs`, if the same incarnation is still up. */
  private later(node: SimNode, delayMs: number, fn: () => void): void {
    this.queue.push(this.nowMs + delayMs, { kind: "call", node: node.index, incarnation: node.incarnation, fn });
  }

  /** Carries `deliver` from one node to another over the simulated network (maybe lost, maybe twice). */
  private send(from: number, to: number, deliver: () => void): void {
    for (const delay of this.network.deliveries(from, to)) {
      this.messages++;
      this.queue.push(this.nowMs + delay, { kind: "call", node: to, incarnation: null, fn: deliver });
    }
  }

  /** The production driver's ports, backed by simulated time, network, miner and storage. */
  private driverPorts(node: SimNode): DriverPorts {
    return {
      now: () => this.nowMs + node.clockSkewMs,
      schedule: (delayMs, fn) => this.later(node, delayMs, fn),
      prepare: () => undefined,
      publish: (message) => this.publish(node, message),
      publishTransaction: (tx) => this.publishTransaction(node, tx),
      mine: (header, found) => this.mine(node, header, found),
      cancelMining: () => undefined, // the driver drops a stale job's result itself
      applied: (finalized) => this.onFinalized(node, finalized),
      refused: (from, verdict, reason) => {
        if (
          verdict === "reject" &&
          from !== LIAR &&
          !this.isByzantine(from) &&
          !this.isByzantine(node) &&
          this.options.checkHonestRejects !== false
        )
          throw new InvariantViolation("honest-reject", `node ${node.index}: ${reason}`);
      },
      equivocation: (effect) => {
        if (this.options.loseEquivocationReports) return;
        this.watch.onReported(node.index, node.incarnation, effect.second.height, effect.second);
      },
      publishEvidence: (evidence) => this.publishEvidence(node, evidence),
      bug: (err) => {
        throw err;
      },
    };
  }

  private publish(node: SimNode, message: ConsensusMessage): void {
    if (this.isByzantine(node)) return this.byzantine!.adversary.publish(message);
    this.invariants.onReleased(node.key.address, message);
    const from = String(node.index);
    for (const other of this.nodes) {
      if (other === node) continue;
      this.send(node.index, other.index, () => this.deliver(other, message, from));
    }
  }

  /**
   * A consensus message arrives at `node`. An honest node's handling is shown to the equivocation
   * watch (with the height it was deciding when the message came); the Byzantine node keeps it to
   * replay later.
   */
  private deliver(node: SimNode, message: ConsensusMessage, from: string): void {
    const core = node.core;
    if (core === null) return;
    if (this.isByzantine(node)) {
      this.byzantine!.adversary.observe(message);
      return node.driver!.onMessage(message, from, "gossip", () => undefined);
    }
    // Through the production gossip de-duplication, as the node's P2P layer does it: a copy seen
    // (and not IGNOREd) before is dropped unread.
    const seen = node.seen;
    const id = consensusGossipId(message);
    if (!seen.add(id, this.nowMs)) return;
    const height = core.machine.height;
    const incarnation = node.incarnation;
    node.driver!.onMessage(message, from, "gossip", (verdict) => {
      seen.handled(id, VALIDATION_OF[verdict]);
      this.watch.onHandled(node.index, incarnation, height, message, verdict, this.nowMs);
    });
  }

  /** The transaction topic: a full mesh, so a transaction submitted at one node reaches each peer once. */
  private publishTransaction(node: SimNode, tx: Transaction): void {
    for (const other of this.nodes) {
      if (other === node) continue;
      this.send(node.index, other.index, () => other.driver?.submitTransaction(tx, String(node.index)));
    }
  }

  /** The production sync driver's ports: requests and answers travel the simulated network. */
  private syncPorts(node: SimNode): SyncPorts {
    return {
      now: () => this.nowMs + node.clockSkewMs,
      requestStatus: (peer) => this.requestStatus(node, peer),
      requestBlocks: (peer, request) => this.requestBlocks(node, peer, request),
      importBlock: (peer, finalized, done) =>
        node.driver?.importFinalized(finalized, peer, (verdict, reason) => {
          if (verdict === "applied") this.syncImported++;
          done(verdict, reason);
        }),
      penalise: (peer) => {
        if (peer === LIAR) this.liarPenalties++;
        else this.honestPenalties++;
      },
    };
  }

  private requestStatus(node: SimNode, peer: string): void {
    if (peer === LIAR) {
      const claims = {
        high: Number.MAX_SAFE_INTEGER,
        next: node.blocks.length + 1,
        forged: this.longestStore().length,
      };
      const claim = claims[this.options.lyingSyncPeer!];
      return this.later(node, this.prng.int(1, 40), () => node.sync?.onStatus(LIAR, claim));
    }
    const server = this.nodes[Number(peer)];
    this.send(node.index, server.index, () => {
      const height = server.blocks.length;
      this.send(server.index, node.index, () => node.sync?.onStatus(peer, height));
    });
  }

  /** A server answers from its store with the byte-bounded batch the node would send. */
  private requestBlocks(node: SimNode, peer: string, request: Extract<SyncEffect, { type: "requestBlocks" }>): void {
    if (peer === LIAR) return this.serveForged(node, request);
    const server = this.nodes[Number(peer)];
    this.send(node.index, server.index, () => {
      const range = server.blocks.slice(request.from - 1, request.to);
      const limit = Math.min(request.maxBytes, SYNC.maxResponseBytes);
      const batch = batchWithinBytes(range, limit);
      const response = { blocks: batch.blocks, bytes: batch.data.length };
      this.send(server.index, node.index, () => node.sync?.onBlocks(peer, request.id, response));
    });
  }

  /** The "forged" liar answers with real blocks whose certificates carry no signature. */
  private serveForged(node: SimNode, request: Extract<SyncEffect, { type: "requestBlocks" }>): void {
    if (this.options.lyingSyncPeer !== "forged") return; // the others claim, never serve
    const forged = this.longestStore()
      .slice(request.from - 1, request.to)
      .map((b) => ({ ...b, certificate: { ...b.certificate, signatures: [] } }));
    const batch = batchWithinBytes(forged, Math.min(request.maxBytes, SYNC.maxResponseBytes));
    const response = { blocks: batch.blocks, bytes: batch.data.length };
    this.later(node, this.prng.int(1, 40), () => node.sync?.onBlocks(LIAR, request.id, response));
  }

  private longestStore(): readonly FinalizedBlock[] {
    return this.nodes.reduce((a, b) => (b.blocks.length > a.blocks.length ? b : a)).blocks;
  }

  private mine(node: SimNode, job: BlockHeader, found: (header: BlockHeader) => void): void {
    const header = mineSync(job, MINING_ATTEMPTS_MAX);
    if (header !== null) this.later(node, this.prng.int(5, 60), () => found(header));
  }

  private onFinalized(node: SimNode, finalized: FinalizedBlock): void {
    node.blocks.push(finalized);
    const before = this.invariants.highestFinalized;
    this.invariants.onFinalized(node.index, finalized);
    if (finalized.block.header.height > before && this.options.checkValidity !== false)
      this.reference.extend(node.index, finalized);
    if (finalized.block.header.height > before) {
      this.lastProgressMs = this.nowMs;
      this.transactionsFinalized += finalized.block.body.transactions.length;
    }
    const state = node.core!.state;
    const epoch = epochOf(state.height + 1, this.config.genesis.epochLength);
    this.invariants.onEpochSet(node.index, epoch, state.setsByEpoch.get(epoch) ?? []);
    node.sync?.onHead(state.height);
  }

  /**
   * Boots `node`. A restarted process (`restart`) first checks its stored L1 view, for up to two
   * propose timeouts here, while its P2P layer is already up: what arrives meanwhile is IGNOREd
   * (startNode, ConsensusDriver.onMessage), and consensus and sync start after.
   */
  private boot(node: SimNode, restart: boolean): void {
    const driver = node.boot({
      config: this.config,
      timeouts: TIMEOUTS,
      sync: SYNC,
      forgetSignState: this.options.forgetSignStateOnRestart ?? false,
      evidencePool: this.options.withoutEvidencePool !== true,
      faults: this.options.faults ?? {},
      driverPorts: this.driverPorts(node),
      syncPorts: this.syncPorts(node),
    });
    const start = () => {
      driver.start();
      for (const other of this.nodes) if (other !== node) node.sync!.addPeer(String(other.index));
      if (this.options.lyingSyncPeer !== undefined) node.sync!.addPeer(LIAR);
      this.syncTick(node);
    };
    if (restart) this.later(node, this.prng.int(0, 2 * TIMEOUTS.proposeMs), start);
    else start();
  }

  private syncTick(node: SimNode): void {
    node.sync?.tick();
    this.later(node, SYNC_TICK_MS, () => this.syncTick(node));
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
      node.driver!.submitTransaction(tx);
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
    else if (roll < 0.7 && down.length > 0) this.boot(this.prng.pick(down), true);
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
    for (const node of this.nodes) if (!node.up) this.boot(node, true);
    this.heightAtGst = this.invariants.highestFinalized;
    this.lastProgressMs = this.nowMs;
  }

  /** The isolated node's link comes back: from here it must catch up through node/sync. */
  private heal(): void {
    const node = this.nodes[this.options.isolate!.node];
    this.isolatedAtHeal = { atHeal: node.blocks.length, highestAtHeal: this.invariants.highestFinalized };
    this.network.isolated = null;
  }

  private syncStats(): SyncStats {
    const isolate = this.options.isolate;
    return {
      importedBlocks: this.syncImported,
      honestPenalties: this.honestPenalties,
      liarPenalties: this.liarPenalties,
      isolated:
        isolate === undefined || this.isolatedAtHeal === null
          ? null
          : { ...this.isolatedAtHeal, atEnd: this.nodes[isolate.node].blocks.length },
    };
  }

  /**
   * Every validator an honest node saw equivocate after GST (and early enough for a few blocks to
   * follow) is named by evidence in a finalized block. Before GST a crash may lose the only pool
   * that held a piece, and a lost message the only copy of it.
   */
  private checkEvidenceFinalized(): void {
    if (this.options.checkValidity === false) return; // the reference chain collects the evidence
    const window = this.options.livenessWindowMs ?? 4000;
    for (const [signer, seen] of this.watch.offenders) {
      if (seen.atMs > this.endAtMs - window) continue;
      if (!this.reference.convicted.has(signer))
        throw new InvariantViolation(
          "evidence",
          `node ${seen.node} saw ${signer} equivocate at ${seen.atMs} ms; no finalized block holds evidence against it`,
        );
    }
  }

  /** Evidence found by `node`, to every peer (the evidence topic); an honest node's is never REJECTed. */
  private publishEvidence(node: SimNode, evidence: Evidence): void {
    for (const other of this.nodes) {
      if (other === node) continue;
      this.send(node.index, other.index, () => {
        const result = other.driver?.submitEvidence(evidence);
        if (result?.verdict === "reject" && !this.isByzantine(node) && this.options.checkHonestRejects !== false)
          throw new InvariantViolation(
            "honest-reject",
            `node ${other.index}: evidence of ${node.index}: ${result.reason}`,
          );
      });
    }
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
    const window = this.options.livenessWindowMs ?? 4000;
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

const gossipIds = new WeakMap<ConsensusMessage, string>();
/** The P2P id of a consensus message (computed once per message object: it goes to every node). */
function consensusGossipId(message: ConsensusMessage): string {
  let id = gossipIds.get(message);
  if (id === undefined) {
    id = gossipId(CONSENSUS_TOPIC, encodeConsensusMessage(message));
    gossipIds.set(message, id);
  }
  return id;
}
