import type { Block, FinalizedBlock } from "../chain/types";
import type { Transaction } from "../chain/transaction";
import type { VoteKind } from "../chain/voteDigest";
import type { Address, Hex } from "../types/primitives";

/** ⟨PROPOSAL, h, r, v, vr⟩ signed by proposer(h, r). The block may have been mined in an earlier round. */
export interface ProposalMessage {
  readonly type: "proposal";
  readonly height: number;
  readonly round: number;
  /** The round of the polka that made this a valid value, or −1 for a fresh block. */
  readonly validRound: number;
  readonly block: Block;
  readonly signature: Hex;
}

/** ⟨PREVOTE|PRECOMMIT, h, r, id(v)⟩; blockHash null is a nil vote (ZERO_HASH on the wire). */
export interface VoteMessage {
  readonly type: "vote";
  readonly kind: VoteKind;
  readonly height: number;
  readonly round: number;
  readonly blockHash: Hex | null;
  readonly validator: Address;
  readonly signature: Hex;
}

/** A finalized block with its certificate, gossiped on decision and served to nodes catching up. */
export interface CommitMessage {
  readonly type: "commit";
  readonly finalized: FinalizedBlock;
}

/** "I have finalized up to `height`": peers ahead answer with commits (bounded). */
export interface StatusMessage {
  readonly type: "status";
  readonly height: number;
}

/** A client transaction, gossiped until it is in a block. */
export interface TransactionMessage {
  readonly type: "transaction";
  readonly tx: Transaction;
}

export type ConsensusMessage = ProposalMessage | VoteMessage | CommitMessage | StatusMessage | TransactionMessage;

/** A proposal whose signature was checked against proposer(h, r): what the state machine consumes. */
export interface VerifiedProposal extends ProposalMessage {
  readonly blockHash: Hex;
}
