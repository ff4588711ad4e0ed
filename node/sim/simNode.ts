import { applyFinalizedBlock, createChainState, type ChainConfig } from "../chain/chainState";
import type { GovernanceSource } from "../chain/registryPorts";
import { RegistryGovernance } from "../chain/registryView";
import { DEFAULT_MEMPOOL_LIMITS, Mempool } from "../chain/mempool";
import type { KeyPair } from "../chain/signing";
import type { FinalizedBlock } from "../chain/types";
import { SignGuard } from "../consensus/signGuard";
import { MemorySignStateStore } from "../consensus/signState";
import type { ConsensusFaults, TimeoutConfig } from "../consensus/tendermint";
import { ValidatorCore } from "../consensus/validator";

/**
 * One simulated node: its key, its durable stores (finalized blocks and sign state — these survive
 * a kill) and, while it is up, its consensus core. `incarnation` tags timers and mining jobs so
 * those of a killed incarnation are discarded.
 */
export class SimNode {
  readonly blocks: FinalizedBlock[] = [];
  signStore = new MemorySignStateStore();
  core: ValidatorCore | null = null;
  incarnation = 0;
  /** Mining jobs abandoned by the core ("height/round"): their results are discarded. */
  readonly cancelledJobs = new Set<string>();

  constructor(
    readonly index: number,
    readonly key: KeyPair,
    readonly source: GovernanceSource,
  ) {}

  get up(): boolean {
    return this.core !== null;
  }

  kill(): void {
    this.core = null;
    this.incarnation++;
  }

  /**
   * Boots from the stores, as a restarted process would: replays every stored block into a fresh
   * chain state. `forgetSignState` simulates a node that lost its sign state (a broken variant).
   */
  boot(
    config: ChainConfig,
    timeouts: TimeoutConfig,
    options: { forgetSignState: boolean; faults: ConsensusFaults },
  ): ValidatorCore {
    this.incarnation++;
    this.cancelledJobs.clear();
    if (options.forgetSignState) this.signStore = new MemorySignStateStore();
    const state = createChainState(config, new RegistryGovernance());
    for (const finalized of this.blocks) applyFinalizedBlock(config, state, finalized.block);
    this.core = new ValidatorCore({
      config,
      state,
      source: this.source,
      guard: new SignGuard(this.key, this.signStore),
      timeouts,
      readFinalized: (h) => this.blocks[h - 1],
      // The mempool is memory: a crash loses it, and clients resend.
      mempool: new Mempool(config.genesis.chainId, {
        ...DEFAULT_MEMPOOL_LIMITS,
        maxTransactions: 256,
        maxPerAccount: 8,
        maxTransactionBytes: config.genesis.maxTransactionBytes,
      }),
      faults: options.faults,
    });
    return this.core;
  }
}
