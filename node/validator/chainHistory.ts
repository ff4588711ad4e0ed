import { countCertifiers } from "../chain/certificate";
import { genesisRepresentatives, type ChainConfig } from "../chain/chainState";
import { epochOf, isLastOfEpoch } from "../chain/epochs";
import { headerHash } from "../chain/headerCodec";
import type { FinalizedBlock } from "../chain/types";
import type { Representative } from "../election/representative";
import type { ExcludedCandidate } from "../chain/electability";
import type { BlockSummary, ElectionRecord } from "../rpc/nodeView";

/** Summaries kept for the dashboard's "recent blocks". */
const RECENT_BLOCKS = 100;
/** The newest elections that keep their list of excluded candidates (it may be as long as the candidates). */
const ELECTIONS_WITH_EXCLUSIONS = 16;

/**
 * What the RPC shows about the chain's past, kept in memory as blocks are applied (and rebuilt by
 * the replay at start-up): the newest block summaries, every epoch's representatives with their
 * votes, and every election. One election per epoch keeps this small.
 */
export class ChainHistory {
  private readonly recent: BlockSummary[] = [];
  private readonly sets = new Map<number, readonly Representative[]>();
  private readonly electionRecords: ElectionRecord[] = [];

  constructor(private readonly config: ChainConfig) {
    this.sets.set(0, genesisRepresentatives(config.genesis));
  }

  /**
   * Records an applied block. `members` is the set that certified it (its epoch's); `excluded`, the
   * state's excludedAtLastElection after applying it; `finalizedAtMs` is when this node applied it,
   * given only for live blocks (a replayed block's finality time is unknown).
   */
  record(
    finalized: FinalizedBlock,
    members: readonly Representative[],
    excluded: readonly ExcludedCandidate[],
    finalizedAtMs?: number,
  ): void {
    const { header, body } = finalized.block;
    const signers = countCertifiers(
      this.config.genesis.chainId,
      finalized.certificate,
      members.map((m) => m.address),
    );
    this.recent.push({
      height: header.height,
      hash: headerHash(header),
      epoch: header.epoch,
      round: header.round,
      proposer: header.proposer,
      timestampMs: header.timestamp,
      eventCount: body.events.length,
      transactionCount: body.transactions.length,
      signers,
      ...(finalizedAtMs === undefined ? {} : { finalizedAtMs }),
    });
    if (this.recent.length > RECENT_BLOCKS) this.recent.shift();
    if (isLastOfEpoch(header.height, this.config.genesis.epochLength) && body.electionResult !== null) {
      this.recordElection(header.height, body.electionResult, members, excluded);
    }
  }

  private recordElection(
    height: number,
    elected: readonly Representative[],
    previous: readonly Representative[],
    excluded: readonly ExcludedCandidate[],
  ) {
    const epoch = epochOf(height, this.config.genesis.epochLength) + 1;
    const before = new Set(previous.map((r) => r.address));
    const after = new Set(elected.map((r) => r.address));
    this.sets.set(epoch, elected);
    this.electionRecords.push({
      epoch,
      height,
      representatives: elected,
      added: [...after].filter((a) => !before.has(a)),
      removed: [...before].filter((a) => !after.has(a)),
      excluded,
    });
    const aged = this.electionRecords.length - 1 - ELECTIONS_WITH_EXCLUSIONS;
    if (aged >= 0) this.electionRecords[aged] = { ...this.electionRecords[aged], excluded: null };
  }

  recentBlocks(count: number): BlockSummary[] {
    return this.recent.slice(-count).reverse();
  }

  representatives(epoch: number): readonly Representative[] | undefined {
    return this.sets.get(epoch);
  }

  elections(count: number): ElectionRecord[] {
    return this.electionRecords.slice(-count).reverse();
  }
}
