import type { ExcludedCandidate } from "../chain/electability";
import type { Address } from "../types/primitives";

/**
 * What the node shows the outside world: the shapes its JSON-RPC methods return and the dashboard
 * renders. The composition root implements `NodeView` over the store, the chain and the follower;
 * the RPC layer only validates requests and forwards them.
 *
 * Conventions: addresses and hashes are 0x-hex strings; vote counts and other uint256 values are
 * bigint in TypeScript and decimal strings on the wire; times are Unix milliseconds.
 */

export type NodeRole = "representative" | "candidate" | "ordinary";

/** What token amounts (votes) are counted in: the voting token's ERC-20 metadata. */
export interface VotingTokenDisplay {
  readonly address: string;
  readonly symbol: string;
  /** Votes are integers of token units; one whole token is 10^decimals of them. */
  readonly decimals: number;
}

export interface NodeStatus {
  readonly nodeId: string;
  /** The node's candidate address (its signing key), if it has one. */
  readonly address?: string;
  readonly role: NodeRole;
  readonly chainId: string;
  readonly height: number;
  /** The consensus round this node is in at height + 1 (above 0: rounds failed to decide). */
  readonly round: number;
  /** Its Tendermint step in that round ("prevote" once it has voted and waits for a quorum). */
  readonly step: "propose" | "prevote" | "precommit";
  readonly epoch: number;
  readonly epochLength: number;
  /** Blocks until the epoch's last block, which carries the next election. */
  readonly blocksUntilElection: number;
  readonly headHash: string;
  readonly l1: { readonly confirmedBlock: number; readonly headBlock: number; readonly lagBlocks: number };
  readonly peers: readonly string[];
  readonly mempoolSize: number;
  /** Absent until the node has read the token's symbol and decimals from L1, or when the token has none. */
  readonly votingToken?: VotingTokenDisplay;
  /** Present once the node stopped importing because L1 reorganised below its confirmed head. */
  readonly l1Halt?: L1HaltReport;
}

/**
 * Why this node stopped importing: L1 reorganised below a block it had confirmed (DEEP_REORG). The
 * exact blocks involved, then what the operator must do. Hashes are null where L1 has no block.
 */
export interface L1HaltReport {
  readonly code: string;
  /** When the follower found it (this node's clock). */
  readonly atMs: number;
  /** The genesis's confirmation depth the reorg went beyond. */
  readonly l1Confirmations: number;
  /** The newest L1 block this node had confirmed: its hash then, and L1's hash at that height now. */
  readonly confirmedBlock: { readonly number: number; readonly hash: string; readonly l1HashNow: string | null };
  /** The anchor of the chain's newest finalized block (L2 height), and L1's hash at that height now. */
  readonly chainAnchor: {
    readonly height: number;
    readonly number: number;
    readonly hash: string;
    readonly l1HashNow: string | null;
  };
  readonly message: string;
  readonly action: string;
}

export interface BlockSummary {
  readonly height: number;
  readonly hash: string;
  readonly epoch: number;
  readonly round: number;
  readonly proposer: string;
  readonly timestampMs: number;
  readonly eventCount: number;
  readonly transactionCount: number;
  /** Addresses whose precommits make up the commit certificate. */
  readonly signers: readonly string[];
  /** When this node applied the block (its clock); absent for blocks replayed from the store at start-up. */
  readonly finalizedAtMs?: number;
}

export interface RepresentativeStanding {
  readonly address: string;
  readonly votes: bigint;
}

export interface CandidateStanding extends RepresentativeStanding {
  /** As the chain imported it: L1 events up to its anchor, `l1Confirmations` (genesis) deep (refunded: deposit paid back). */
  readonly status: "active" | "withdrawn" | "revoked" | "slashed" | "refunded";
  /** When its credentials expire, Unix ms like every time of this API (L1 keeps it in seconds). */
  readonly credentialExpiryMs: bigint;
  readonly representative: boolean;
}

export interface ElectionRecord {
  /** The epoch whose representatives this election chose. */
  readonly epoch: number;
  /** Height of the block that carries it (the previous epoch's last block). */
  readonly height: number;
  readonly representatives: readonly RepresentativeStanding[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /**
   * Active candidates the chain's own rules left out (equivocation jail, no signature in the epoch,
   * downtime), whatever their votes; null for elections older than the newest 16.
   */
  readonly excluded: readonly ExcludedCandidate[] | null;
}

/** Equivocation evidence as this node knows it (repchain_getEvidence). */
export interface EvidenceReport {
  /** Verified evidence waiting for a block. */
  readonly pending: number;
  /** Candidates jailed by committed evidence; registration null: the bare key, every registration. */
  readonly jailed: readonly { readonly candidate: string; readonly registration: number | null }[];
  /** Evidence in finalized blocks, oldest first. */
  readonly committed: readonly {
    readonly hash: string;
    readonly kind: string;
    readonly signer: string;
    readonly height: number;
    readonly round: number;
    readonly committedAt: number;
    /** What this node did with it on L1 (only a node with an evidenceSubmitter; null: not yet, or none). */
    readonly l1: string | null;
  }[];
}

/**
 * The liveness and downtime record of the epoch being built (repchain_getLiveness;
 * docs/consensus.md "Liveness and downtime"): who signed what so far, and who is jailed.
 */
export interface LivenessReport {
  /** The epoch of the next block, which the counts are about. */
  readonly epoch: number;
  /** Commits of this epoch's blocks counted so far (at most epochLength − 1 by its end). */
  readonly commitsCounted: number;
  readonly minSignedPermille: number;
  /** The current set's signing keys and how many of the counted commits hold their precommit. */
  readonly representatives: readonly { readonly signingKey: string; readonly signedCommits: number }[];
  /** Keys that signed something in a block of this epoch so far (electable at its end, unless jailed). */
  readonly active: readonly string[];
  /** Keys jailed for downtime, and the last epoch they may not be elected into. */
  readonly jailed: readonly { readonly signingKey: string; readonly throughEpoch: number }[];
}

export interface NodeView {
  status(): NodeStatus;
  /** May answer from the store, so it may be async. */
  block(heightOrHash: number | string): unknown | undefined | Promise<unknown | undefined>;
  recentBlocks(count: number): readonly BlockSummary[];
  transaction(hash: string): unknown | undefined | Promise<unknown | undefined>;
  sendTransaction(raw: string): Promise<{ hash: string }>;
  /** The nonce the account's next transaction must carry, by the finalized chain (pending ones not counted). */
  nextNonce(address: Address): bigint;
  representatives(epoch?: number): readonly RepresentativeStanding[] | undefined;
  candidates(): readonly CandidateStanding[];
  elections(count: number): readonly ElectionRecord[];
  evidence(): EvidenceReport;
  liveness(): LivenessReport;
}
