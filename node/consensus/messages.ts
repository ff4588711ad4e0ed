import type { Block, FinalizedBlock } from "../chain/types";
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

/** A finalized block with its certificate, gossiped on decision (the next height for peers one behind). */
export interface CommitMessage {
  readonly type: "commit";
  readonly finalized: FinalizedBlock;
}

/** Messages of the consensus topic. Transactions have their own topic; catching up has its own protocol (node/sync). */
export type ConsensusMessage = ProposalMessage | VoteMessage | CommitMessage;

/** A proposal whose signature was checked against proposer(h, r): what the state machine consumes. */
export interface VerifiedProposal extends ProposalMessage {
  readonly blockHash: Hex;
}
