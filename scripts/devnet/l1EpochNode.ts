import { candidateStandings, elect } from "../../node/election";
import { applyEvents, emptyGovernanceState, type GovernanceState } from "../../node/registry";
import { CandidateStatus } from "../../node/registry/state";
import type { L1Follower } from "../../node/l1/follower";
import type {
  BlockSummary,
  CandidateStanding,
  ElectionRecord,
  NodeRole,
  NodeStatus,
  NodeView,
  RepresentativeStanding,
} from "../../node/rpc/nodeView";
import { type Address } from "../../node/types/primitives";
import { RemovalReason } from "../../node/registry/events";
import type { DevnetGenesis } from "./genesis";

/** Reads the timestamp (unix seconds) of a confirmed L1 block. */
export type BlockTimestamp = (blockNumber: number) => Promise<number>;

/**
 * The L1 half of a validator node, for the devnet while the L2 node (`repchain run`) is not there:
 * epochs of `epochLength` confirmed L1 blocks counted from the genesis anchor; at the last block of
 * each epoch it elects the top K from the governance state *at that block* (so every stand-in
 * node, whatever its polling rhythm, elects the same set), and it answers the node's JSON-RPC
 * NodeView. It produces no L2 blocks: height is the number of confirmed L1 blocks since genesis.
 */
export class L1EpochNode implements NodeView {
  private readonly epochState: GovernanceState = emptyGovernanceState();
  private appliedTo = -1;
  private readonly history: ElectionRecord[] = [];
  private readonly repsByEpoch: RepresentativeStanding[][];

  constructor(
    private readonly follower: L1Follower,
    private readonly genesis: DevnetGenesis,
    private readonly identity: { nodeId: string; address?: string; chainId: number },
    private readonly blockTimestamp: BlockTimestamp,
  ) {
    this.repsByEpoch = [genesis.representatives.map((r) => ({ address: r.address, votes: BigInt(r.votes) }))];
  }

  get epoch(): number {
    return this.repsByEpoch.length - 1;
  }

  /** The L1 block whose state elects the representatives of epoch e + 1. */
  lastBlockOfEpoch(e: number): number {
    return this.genesis.l1AnchorBlock + (e + 1) * this.genesis.epochLength;
  }

  /** Holds every election the confirmed head has passed; returns the records it added. */
  async advance(): Promise<ElectionRecord[]> {
    const added: ElectionRecord[] = [];
    const head = this.follower.confirmed.head;
    // Bounded: a node far behind catches up over several calls rather than in one long loop.
    for (let i = 0; i < 64 && head !== undefined && this.lastBlockOfEpoch(this.epoch) <= head.number; i++) {
      added.push(await this.holdElection(this.lastBlockOfEpoch(this.epoch)));
    }
    return added;
  }

  private async holdElection(atBlock: number): Promise<ElectionRecord> {
    applyEvents(this.epochState, await this.follower.eventsInRange(this.appliedTo, atBlock));
    this.appliedTo = atBlock;
    const snapshotTime = BigInt(await this.blockTimestamp(atBlock));
    const result = elect(this.epochState, this.epochState.parameters.representativeCount, snapshotTime);
    const reps = result.representatives.map((r) => ({ address: r.address, votes: r.votes }));
    const before = new Set<string>(this.repsByEpoch[this.epoch].map((r) => r.address));
    const after = new Set<string>(reps.map((r) => r.address));
    const record: ElectionRecord = {
      epoch: this.epoch + 1,
      height: atBlock - this.genesis.l1AnchorBlock,
      representatives: reps,
      added: [...after].filter((a) => !before.has(a)),
      removed: [...before].filter((a) => !after.has(a)),
    };
    this.repsByEpoch.push(reps);
    this.history.unshift(record);
    return record;
  }

  role(): NodeRole {
    const me = this.identity.address;
    if (me === undefined) return "ordinary";
    if (this.repsByEpoch[this.epoch].some((r) => r.address === me)) return "representative";
    const record = this.follower.confirmed.state.candidates.get(me as Address);
    return record?.status === CandidateStatus.Active ? "candidate" : "ordinary";
  }

  status(): NodeStatus {
    const { head, confirmed } = this.follower.progress;
    const confirmedBlock = confirmed?.number ?? 0;
    const height = Math.max(0, confirmedBlock - this.genesis.l1AnchorBlock);
    return {
      nodeId: this.identity.nodeId,
      address: this.identity.address,
      role: this.role(),
      chainId: String(this.identity.chainId),
      height,
      epoch: this.epoch,
      epochLength: this.genesis.epochLength,
      blocksUntilElection: Math.max(0, this.lastBlockOfEpoch(this.epoch) - confirmedBlock),
      headHash: confirmed?.hash ?? `0x${"00".repeat(32)}`,
      l1: { confirmedBlock, headBlock: head, lagBlocks: Math.max(0, head - confirmedBlock) },
      peers: [],
      mempoolSize: 0,
    };
  }

  block(): unknown {
    return undefined;
  }

  recentBlocks(): readonly BlockSummary[] {
    return [];
  }

  transaction(): unknown {
    return undefined;
  }

  async sendTransaction(): Promise<{ hash: string }> {
    throw new Error("this stand-in node follows L1 only and has no L2 mempool");
  }

  nextNonce(): bigint {
    return 0n; // no L2 transactions here
  }

  representatives(epoch?: number): readonly RepresentativeStanding[] | undefined {
    return this.repsByEpoch[epoch ?? this.epoch];
  }

  candidates(): readonly CandidateStanding[] {
    const state = this.follower.confirmed.state;
    const now = BigInt(this.follower.confirmed.head?.timestamp ?? 0);
    const current = new Set(this.repsByEpoch[this.epoch].map((r) => r.address));
    return candidateStandings(state, now).map((c) => ({
      address: c.address,
      votes: c.votes,
      credentialExpiry: c.credentialExpiry,
      status: publicStatus(c.status, state.candidates.get(c.address)?.removalReason ?? null),
      representative: current.has(c.address),
    }));
  }

  elections(count: number): readonly ElectionRecord[] {
    return this.history.slice(0, count);
  }
}

function publicStatus(status: CandidateStatus, reason: RemovalReason | null): CandidateStanding["status"] {
  if (status === CandidateStatus.Active) return "active";
  return reason === RemovalReason.Revoked ? "revoked" : "withdrawn";
}
