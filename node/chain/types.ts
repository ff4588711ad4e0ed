import type { Address, Hex } from "../types/primitives";
import type { Representative } from "../election/representative";
import type { RegistryEvent } from "../registry/events";
import type { Transaction } from "./transaction";
import type { Evidence } from "./evidence";

/**
 * The block header. Every field is fixed-width in the canonical encoding (headerCodec.ts).
 * `round` is the round the block was first proposed (and mined) in; a block re-proposed in a
 * later round keeps it, so its PoW and proposer signature stay valid.
 */
export interface BlockHeader {
  readonly chainId: bigint;
  readonly height: number;
  readonly epoch: number;
  readonly round: number;
  readonly parentHash: Hex;
  /** Unix milliseconds, as chosen by the proposer. */
  readonly timestamp: number;
  readonly proposer: Address;
  /** The newest confirmed L1 block this block imports events up to (inclusive). */
  readonly l1AnchorNumber: number;
  readonly l1AnchorHash: Hex;
  readonly eventsRoot: Hex;
  /** Merkle root of the body's equivocation evidence (bodyRoots.ts). */
  readonly evidenceRoot: Hex;
  readonly txRoot: Hex;
  /** Hash of the next epoch's representatives; ZERO_HASH unless this is the epoch's last block. */
  readonly electionResultHash: Hex;
  /** Hash of the body's lastCommit (certificate.ts, commitCertificateHash); ZERO_HASH at height 1. */
  readonly lastCommitHash: Hex;
  readonly powTarget: bigint;
  readonly nonce: bigint;
}

export interface BlockBody {
  /** L1 governance events with anchor in (parent anchor, this anchor], in L1 order. */
  readonly events: readonly RegistryEvent[];
  /** Equivocation evidence (evidence.ts), each jailing its offender when the block is applied (jail.ts). */
  readonly evidence: readonly Evidence[];
  readonly transactions: readonly Transaction[];
  /** The representatives of the next epoch, on the epoch's last block only. */
  readonly electionResult: readonly Representative[] | null;
  /**
   * The commit certificate of the parent (Tendermint's LastCommit), null at height 1: precommits on
   * the chain itself, the same on every node, from which downtime and liveness are read (liveness.ts).
   */
  readonly lastCommit: CommitCertificate | null;
}

export interface Block {
  readonly header: BlockHeader;
  readonly body: BlockBody;
  /** The header proposer's signature over the header hash (domain BLOCK). */
  readonly proposerSignature: Hex;
}

/** Precommit signatures of more than 2/3 of the block's epoch set, for one (height, round, hash). */
export interface CommitCertificate {
  readonly height: number;
  readonly round: number;
  readonly blockHash: Hex;
  readonly signatures: readonly Hex[];
}

export interface FinalizedBlock {
  readonly block: Block;
  readonly certificate: CommitCertificate;
}
