import type { Address } from "../types/primitives";
import { commitCertificateHash } from "./certificate";
import type { ChainConfig, ChainState } from "./chainState";
import { epochOf, maxFaulty, quorum } from "./epochs";
import { ChainError, ChainErrorCode } from "./errors";
import { recoverSigner } from "./signing";
import type { Block, CommitCertificate } from "./types";
import { voteDigest } from "./voteDigest";

/**
 * A block's lastCommit: the commit certificate of its parent (Tendermint's LastCommit). A commit
 * certificate is not unique (any quorum of precommits commits a block), so which representatives
 * signed cannot be read from each node's own certificates; once a proposer puts one in block h + 1
 * and h + 1 is finalized, every node holds the same precommits for h, and the downtime and liveness
 * rules (liveness.ts) read them from there.
 *
 * Stricter than a certificate a node merely accepts (certificate.ts): every signature must be a
 * precommit of a distinct member of the parent's epoch set, so the carried list is exactly the
 * signers it claims and at most one 65-byte signature per member (the bound on its bytes).
 */

/** The members of the set that signed the parent of a block at `height`: the parent's epoch's. */
export function parentSet(config: ChainConfig, state: ChainState, height: number): readonly Address[] {
  const set = state.setsByEpoch.get(epochOf(height - 1, config.genesis.epochLength));
  if (set === undefined) throw new RangeError(`no set known for the parent of height ${height}`);
  return set;
}

function bad(height: number, reason: string): never {
  throw new ChainError({ code: ChainErrorCode.BAD_LAST_COMMIT, height, reason });
}

/**
 * The signers of a lastCommit, in its order; throws BAD_LAST_COMMIT unless every signature is a
 * precommit of a distinct member over the certificate's (height, round, blockHash).
 */
export function lastCommitSigners(
  chainId: bigint,
  commit: CommitCertificate,
  members: readonly Address[],
  height: number,
): Address[] {
  if (commit.signatures.length > members.length) {
    bad(height, `${commit.signatures.length} signatures for a set of ${members.length}`);
  }
  const memberSet = new Set(members);
  const digest = voteDigest("precommit", chainId, commit.height, commit.round, commit.blockHash);
  const signers: Address[] = [];
  commit.signatures.forEach((signature, index) => {
    const signer = recoverSigner(digest, signature);
    if (signer === null || !memberSet.has(signer)) bad(height, `signature ${index} is no member's precommit`);
    if (signers.includes(signer)) bad(height, `signature ${index} repeats signer ${signer}`);
    signers.push(signer);
  });
  return signers;
}

/**
 * The lastCommit rule of verifyBlock: none at height 1 (the parent is genesis); otherwise the
 * parent's (height, hash), precommits of more than 2/3 of the parent's set, and the header's
 * lastCommitHash over exactly these bytes. Returns the signers.
 */
export function verifyLastCommit(config: ChainConfig, state: ChainState, block: Block): Address[] {
  const h = block.header;
  const commit = block.body.lastCommit;
  const hash = commitCertificateHash(commit);
  if (h.lastCommitHash !== hash) bad(h.height, `header lastCommitHash ${h.lastCommitHash}, body hashes to ${hash}`);
  if (h.height === 1) {
    if (commit !== null) bad(h.height, "block 1 has no parent to commit");
    return [];
  }
  if (commit === null) bad(h.height, "missing");
  if (commit.height !== state.height || commit.blockHash !== state.headHash) {
    bad(h.height, `commits ${commit.height}/${commit.blockHash}, the parent is ${state.height}/${state.headHash}`);
  }
  const members = parentSet(config, state, h.height);
  const signers = lastCommitSigners(config.genesis.chainId, commit, members, h.height);
  const n = new Set(members).size;
  const needed = config.unsafeWeakLastCommit === true ? maxFaulty(n) + 1 : quorum(n);
  if (signers.length < needed) bad(h.height, `${signers.length} signers, a quorum is ${needed} of ${members.length}`);
  return signers;
}
