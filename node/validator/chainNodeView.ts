import { countCertifiers } from "../chain/certificate";
import { representativeAddresses, type ChainConfig } from "../chain/chainState";
import { epochOf } from "../chain/epochs";
import { headerHash } from "../chain/headerCodec";
import type { RegistryMirror } from "../chain/registryView";
import type { FinalizedBlock } from "../chain/types";
import { roleOf } from "../consensus/roles";
import type { ValidatorCore } from "../consensus/validator";
import { candidateStandings } from "../election/standings";
import { publicStatus, type CandidateRecord } from "../registry";
import type { L1Follower } from "../l1/follower";
import type { P2PNetwork } from "../p2p/p2pNetwork";
import type {
  CandidateStanding,
  EvidenceReport,
  LivenessReport,
  L1HaltReport,
  NodeStatus,
  NodeView,
  RepresentativeStanding,
  VotingTokenDisplay,
} from "../rpc/nodeView";
import type { ChainStore } from "../store/chainStore";
import type { Address, Hex } from "../types/primitives";
import { decodeTransactionHex } from "../chain/transaction";
import type { ChainHistory } from "./chainHistory";
import type { L1RegistryEventSource } from "./l1EventSource";
import type { Mempool, MempoolResult } from "../chain/mempool";
import type { Transaction } from "../chain/transaction";

export interface ChainNodeViewDeps {
  readonly nodeId: string;
  readonly address: Address | null;
  readonly config: ChainConfig;
  readonly core: ValidatorCore;
  readonly governance: RegistryMirror;
  readonly store: ChainStore;
  readonly history: ChainHistory;
  readonly source: L1RegistryEventSource;
  readonly follower: L1Follower;
  readonly p2p: P2PNetwork;
  readonly mempool: Mempool;
  /** Hands a client transaction to the consensus core (mempool, then gossip). */
  readonly submitTransaction: (tx: Transaction) => MempoolResult;
  /** What this node did with a piece of committed evidence on L1, if it submits evidence. */
  readonly evidenceOutcome?: (hash: Hex) => string | undefined;
  /** Why the node stopped importing, if a deep L1 reorg stopped it. */
  readonly l1Halt?: () => L1HaltReport | null;
  /** The voting token's symbol and decimals once read from L1 (the dashboard shows votes in whole tokens). */
  readonly votingToken?: () => VotingTokenDisplay | undefined;
}

/** The node's NodeView (node/rpc/nodeView.ts) over its chain state, store, follower and P2P. */
export class ChainNodeView implements NodeView {
  constructor(private readonly d: ChainNodeViewDeps) {}

  status(): NodeStatus {
    const state = this.d.core.state;
    const L = this.d.config.genesis.epochLength;
    const nextEpoch = epochOf(state.height + 1, L);
    const progress = this.d.follower.progress;
    const confirmed = this.d.source.confirmedHead().number;
    const halt = this.d.l1Halt?.() ?? null;
    const token = this.d.votingToken?.();
    return {
      nodeId: this.d.nodeId,
      ...(this.d.address === null ? {} : { address: this.d.address }),
      role: this.d.address === null ? "ordinary" : roleOf(state, this.d.address),
      chainId: this.d.config.genesis.chainId.toString(),
      height: state.height,
      round: this.d.core.machine.round,
      step: this.d.core.machine.step,
      epoch: nextEpoch,
      epochLength: L,
      blocksUntilElection: (nextEpoch + 1) * L - state.height,
      headHash: state.headHash,
      l1: { confirmedBlock: confirmed, headBlock: progress.head, lagBlocks: Math.max(0, progress.head - confirmed) },
      peers: this.d.p2p.connectedPeers().map((p) => p.nodeId),
      mempoolSize: this.d.mempool.size,
      ...(token === undefined ? {} : { votingToken: token }),
      ...(halt === null ? {} : { l1Halt: halt }),
    };
  }

  async block(key: number | string): Promise<unknown> {
    const height = typeof key === "number" ? key : await this.d.store.heightOf(key.toLowerCase() as Hex);
    if (height === undefined || height > this.d.core.state.height) return undefined;
    // The core applies a block before its batch lands: wait for queued appends of applied blocks.
    const finalized =
      (await this.d.store.blocks.get(height)) ?? (await this.d.store.flush(), await this.d.store.blocks.get(height));
    return finalized === undefined ? undefined : this.describe(finalized);
  }

  private describe(finalized: FinalizedBlock): unknown {
    const { header } = finalized.block;
    const members = this.d.core.state.setsByEpoch.get(header.epoch) ?? [];
    return {
      hash: headerHash(header),
      ...finalized.block,
      certificate: finalized.certificate,
      signers: countCertifiers(this.d.config.genesis.chainId, finalized.certificate, members),
    };
  }

  recentBlocks(count: number) {
    return this.d.history.recentBlocks(count);
  }

  async transaction(hash: string): Promise<unknown> {
    const h = hash.toLowerCase() as Hex;
    if (this.d.mempool.has(h)) return { hash: h, status: "pending" };
    const location = await this.d.store.transactionLocation(h);
    if (location === undefined) return undefined;
    const finalized = await this.d.store.blocks.get(location.height);
    const tx = finalized?.block.body.transactions[location.index];
    return tx === undefined ? undefined : { hash: h, status: "finalized", ...location, ...tx };
  }

  evidence(): EvidenceReport {
    const jail = this.d.core.state.jail;
    return {
      pending: this.d.core.deps.evidencePool?.size ?? 0,
      jailed: [...jail.candidates].map(([candidate, registration]) => ({ candidate, registration })),
      committed: [...jail.committed].map(([hash, { evidence, height }]) => ({
        hash,
        kind: evidence.kind,
        signer: evidence.signer,
        height: evidence.height,
        round: evidence.round,
        committedAt: height,
        l1: this.d.evidenceOutcome?.(hash) ?? null,
      })),
    };
  }

  liveness(): LivenessReport {
    const state = this.d.core.state;
    const live = state.liveness;
    return {
      epoch: live.epoch,
      commitsCounted: live.commitsCounted,
      minSignedPermille: this.d.core.deps.config.genesis.minSignedPermille,
      representatives: representativeAddresses(state).map((signingKey) => ({
        signingKey,
        signedCommits: live.signedCommits.get(signingKey) ?? 0,
      })),
      active: [...live.active].sort(),
      jailed: [...live.jailedThroughEpoch].map(([signingKey, throughEpoch]) => ({ signingKey, throughEpoch })),
    };
  }

  async sendTransaction(raw: string): Promise<{ hash: string }> {
    const result = this.d.submitTransaction(decodeTransactionHex(raw));
    if (!result.accepted) throw new Error(`${result.reason}${result.detail === undefined ? "" : `: ${result.detail}`}`);
    return { hash: result.hash };
  }

  nextNonce(address: Address): bigint {
    return this.d.core.state.accountNonces.get(address) ?? 0n;
  }

  representatives(epoch?: number): readonly RepresentativeStanding[] | undefined {
    const state = this.d.core.state;
    const e = epoch ?? epochOf(state.height + 1, this.d.config.genesis.epochLength);
    return this.d.history.representatives(e);
  }

  /**
   * The candidates in the registry state the chain has imported: L1 events up to its L1 anchor, which
   * is `l1Confirmations` (genesis) deep. An L1 change shows here once it is confirmed and included in a block, so
   * it may lag a direct read of L1 (`list-candidates`) by a few L1 and L2 blocks.
   */
  candidates(): readonly CandidateStanding[] {
    const reps = new Set(this.d.core.state.representatives.map((r) => r.address));
    const snapshot = this.d.source.blockRef(this.d.core.state.l1Anchor.number)?.timestamp ?? 0n;
    return candidateStandings(this.d.governance.registry, snapshot).map((c) => ({
      address: c.address,
      votes: c.votes,
      credentialExpiryMs: c.credentialExpiry * 1000n,
      status: publicStatus(this.d.governance.registry.candidates.get(c.address) as CandidateRecord),
      representative: reps.has(c.address),
    }));
  }

  elections(count: number) {
    return this.d.history.elections(count);
  }
}
