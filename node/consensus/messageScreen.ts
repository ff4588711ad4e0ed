import { ZERO_HASH } from "../chain/bytes";
import { verifyCertificate } from "../chain/certificate";
import { representativeAddresses, type ChainConfig, type ChainState } from "../chain/chainState";
import { isLastOfEpoch, proposerFor } from "../chain/epochs";
import { headerHash } from "../chain/headerCodec";
import { recoverSigner } from "../chain/signing";
import { proposalDigest, voteDigest } from "../chain/voteDigest";
import type { Address } from "../types/primitives";
import type { CommitMessage, ConsensusMessage, ProposalMessage, VoteMessage } from "./messages";

/** Why a message is dropped: IGNORE (useless, the sender may be honest) or REJECT (provably bad). */
export interface Refusal {
  readonly verdict: "ignore" | "reject";
  readonly reason: string;
}

/**
 * Verify before you buffer or forward: the checks every proposal, vote and commit passes before
 * the core buffers it, the driver fetches an L1 header for it, or the P2P layer forwards it (no
 * refusal = ACCEPT = forward). Only signatures, set membership and heights: nothing that needs L1.
 *
 * - A message below the height being decided is stale (IGNORE): it is never forwarded again.
 * - A proposal or vote for the current height, or for the next one while the set stays the same
 *   (not across an epoch switch), must come from that height's set: the proposer of its round, a
 *   member voter, with a valid signature. Across an epoch switch the next set is not known yet: the
 *   signature must still recover to the proposer the block names, or to the voter named; a
 *   re-proposal (signed by its round's proposer, not the block's miner) is IGNOREd until then.
 * - Anything further ahead is IGNOREd (sync fetches what a node missed).
 * - A commit must be for the next block and carry a certificate of the current set's quorum.
 */
export function screenMessage(
  config: ChainConfig,
  state: ChainState,
  height: number,
  message: ConsensusMessage,
): Refusal | null {
  switch (message.type) {
    case "proposal":
      return screenHeight(message.height, height) ?? screenProposal(config, state, message);
    case "vote":
      return screenHeight(message.height, height) ?? screenVote(config, state, message);
    case "commit":
      return screenCommit(config, state, message);
    default:
      return null;
  }
}

function screenHeight(messageHeight: number, height: number): Refusal | null {
  if (messageHeight < height) return { verdict: "ignore", reason: `stale height ${messageHeight} < ${height}` };
  if (messageHeight > height + 1)
    return { verdict: "ignore", reason: `height ${messageHeight} too far ahead of ${height}` };
  return null;
}

/** The representatives of `height`, if this node knows them yet. */
function setOf(config: ChainConfig, state: ChainState, height: number): Address[] | null {
  if (height === state.height + 1) return representativeAddresses(state);
  if (height === state.height + 2 && !isLastOfEpoch(state.height + 1, config.genesis.epochLength))
    return representativeAddresses(state);
  return null;
}

function screenProposal(config: ChainConfig, state: ChainState, p: ProposalMessage): Refusal | null {
  let blockHash;
  try {
    blockHash = headerHash(p.block.header);
  } catch (err) {
    return { verdict: "reject", reason: (err as Error).message };
  }
  const set = setOf(config, state, p.height);
  // A re-proposal carries a block mined by an earlier round's proposer and is signed by this
  // round's, who cannot be known before the election is applied: unverifiable, not forged.
  if (set === null && p.validRound !== -1)
    return { verdict: "ignore", reason: `re-proposal for height ${p.height} of an epoch whose set is not known yet` };
  const expected = set === null ? p.block.header.proposer : proposerFor(set, p.height, p.round);
  const digest = proposalDigest(config.genesis.chainId, p.height, p.round, p.validRound, blockHash);
  if (recoverSigner(digest, p.signature) !== expected)
    return { verdict: "reject", reason: `proposal not signed by proposer ${expected}` };
  return null;
}

function screenVote(config: ChainConfig, state: ChainState, v: VoteMessage): Refusal | null {
  const set = setOf(config, state, v.height);
  if (set !== null && !set.includes(v.validator))
    return { verdict: "ignore", reason: `vote from non-member ${v.validator}` };
  const digest = voteDigest(v.kind, config.genesis.chainId, v.height, v.round, v.blockHash ?? ZERO_HASH);
  if (recoverSigner(digest, v.signature) !== v.validator) return { verdict: "reject", reason: "bad vote signature" };
  return null;
}

function screenCommit(config: ChainConfig, state: ChainState, c: CommitMessage): Refusal | null {
  const h = c.finalized.block.header.height;
  if (h <= state.height) return { verdict: "ignore", reason: `stale commit of height ${h}` };
  if (h > state.height + 1) return { verdict: "ignore", reason: `commit of height ${h} ahead of ${state.height + 1}` };
  try {
    const hash = headerHash(c.finalized.block.header);
    verifyCertificate(config.genesis.chainId, c.finalized.certificate, h, hash, representativeAddresses(state));
  } catch (err) {
    return { verdict: "reject", reason: (err as Error).message };
  }
  return null;
}
