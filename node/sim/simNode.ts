import { applyFinalizedBlock, createChainState, type ChainConfig } from "../chain/chainState";
import type { RegistryEventSource } from "../chain/registryPorts";
import { RegistryMirror } from "../chain/registryView";
import { EvidencePool } from "../chain/evidencePool";
import { DEFAULT_MEMPOOL_LIMITS, Mempool } from "../chain/mempool";
import type { KeyPair } from "../chain/signing";
import type { FinalizedBlock } from "../chain/types";
import { ConsensusDriver, type DriverPorts } from "../consensus/consensusDriver";
import { SignGuard } from "../consensus/signGuard";
import { MemorySignStateStore } from "../consensus/signState";
import type { ConsensusFaults, TimeoutConfig } from "../consensus/tendermint";
import { ValidatorCore } from "../consensus/validator";
import { SyncDriver, type SyncPorts } from "../sync/syncDriver";
import { defaultP2PConfig } from "../p2p/p2pConfig";
import { SeenCache } from "../p2p/seenCache";
import type { SyncSettings } from "../sync/syncMachine";

export interface SimNodeBoot {
  readonly config: ChainConfig;
  readonly timeouts: TimeoutConfig;
  readonly sync: SyncSettings;
  readonly forgetSignState: boolean;
  /** False: the node keeps no evidence pool, so no evidence reaches its blocks (a broken variant). */
  readonly evidencePool: boolean;
  readonly faults: ConsensusFaults;
  readonly driverPorts: DriverPorts;
  readonly syncPorts: SyncPorts;
}

/**
 * One simulated node: its key, its durable stores (finalized blocks and sign state — these survive
 * a kill) and, while it is up, the production ConsensusDriver around its core and the production
 * SyncDriver. `incarnation` tags scheduled calls so those of a killed incarnation are discarded.
 */
export class SimNode {
  readonly blocks: FinalizedBlock[] = [];
  signStore = new MemorySignStateStore();
  driver: ConsensusDriver | null = null;
  sync: SyncDriver | null = null;
  incarnation = 0;
  /** The gossip layer's de-duplication (node/p2p/seenCache.ts): process memory, empty after a restart. */
  seen = SimNode.emptySeenCache();

  constructor(
    readonly index: number,
    readonly key: KeyPair,
    readonly source: RegistryEventSource,
    /** How far this node's clock runs ahead of simulated time (every reading of its clock adds it). */
    readonly clockSkewMs = 0,
  ) {}

  get up(): boolean {
    return this.driver !== null;
  }

  get core(): ValidatorCore | null {
    return this.driver?.core ?? null;
  }

  kill(): void {
    this.driver?.stop();
    this.driver = null;
    this.sync = null;
    this.incarnation++;
  }

  /**
   * Boots from the stores, as a restarted process would: replays every stored block into a fresh
   * chain state. `forgetSignState` simulates a node that lost its sign state (a broken variant).
   */
  boot(options: SimNodeBoot): ConsensusDriver {
    this.incarnation++;
    this.seen = SimNode.emptySeenCache();
    if (options.forgetSignState) this.signStore = new MemorySignStateStore();
    const state = createChainState(options.config, new RegistryMirror());
    for (const finalized of this.blocks) applyFinalizedBlock(options.config, state, finalized.block);
    const core = new ValidatorCore({
      config: options.config,
      state,
      source: this.source,
      guard: new SignGuard(this.key, this.signStore),
      timeouts: options.timeouts,
      // The mempool is memory: a crash loses it, and clients resend.
      mempool: new Mempool(options.config.genesis.chainId, {
        ...DEFAULT_MEMPOOL_LIMITS,
        maxTransactions: 256,
        maxPerAccount: 8,
        maxTransactionBytes: options.config.genesis.maxTransactionBytes,
      }),
      // Memory too: a crash loses pooled evidence (the offender's next equivocation makes more).
      evidencePool: options.evidencePool ? new EvidencePool(options.config) : undefined,
      faults: options.faults,
      headCertificate: this.blocks.at(-1)?.certificate ?? null,
    });
    this.driver = new ConsensusDriver(core, options.driverPorts);
    this.sync = new SyncDriver(options.sync, state.height, options.syncPorts);
    return this.driver;
  }

  private static emptySeenCache(): SeenCache {
    return new SeenCache(defaultP2PConfig.seenCacheSize, defaultP2PConfig.seenTtlMs);
  }
}
