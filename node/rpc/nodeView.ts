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
}
