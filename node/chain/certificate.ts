import type { Address, Hex } from "../types/primitives";
import { ChainError, ChainErrorCode } from "./errors";
import { quorum } from "./epochs";
import { recoverSigner } from "./signing";
import type { CommitCertificate } from "./types";
import { voteDigest } from "./voteDigest";

/** Upper bound on signatures examined, so a padded certificate cannot make us recover forever. */
export const MAX_CERTIFICATE_SIGNATURES = 1024;

/**
 * The distinct members of `members` (the block's epoch set, frozen at the epoch switch) whose
 * precommit for exactly (height, round, blockHash) is in the certificate. A signature over another
 * height, round or hash recovers to some unrelated address, so it counts for nothing, like a
 * duplicate, a non-member's or another epoch set's signature.
 */
export function countCertifiers(
  chainId: bigint,
  certificate: CommitCertificate,
  members: readonly Address[],
): Address[] {
  return certifiers(chainId, certificate, members, Infinity);
}

/**
 * The certifiers, recovering signatures in order until `enough` distinct members are found: a
 * verifier that only needs a quorum stops there, as the precommits after it cannot undo it.
 */
function certifiers(
  chainId: bigint,
  certificate: CommitCertificate,
  members: readonly Address[],
  enough: number,
): Address[] {
  const memberSet = new Set(members);
  const digest = voteDigest("precommit", chainId, certificate.height, certificate.round, certificate.blockHash);
  const counted = new Set<Address>();
  for (const signature of certificate.signatures.slice(0, MAX_CERTIFICATE_SIGNATURES)) {
    const signer = recoverSigner(digest, signature);
    if (signer !== null && memberSet.has(signer)) counted.add(signer);
    if (counted.size >= enough) break;
  }
  return [...counted];
}

/** Throws unless the certificate commits `blockHash` at `height` with precommits of > 2/3 of `members`. */
export function verifyCertificate(
  chainId: bigint,
  certificate: CommitCertificate,
  height: number,
  blockHash: Hex,
  members: readonly Address[],
): void {
  if (certificate.height !== height || certificate.blockHash !== blockHash) {
    throw new ChainError({
      code: ChainErrorCode.CERTIFICATE_WRONG_BLOCK,
      expected: blockHash,
      actual: certificate.blockHash,
    });
  }
  const needed = quorum(new Set(members).size);
  const counted = certifiers(chainId, certificate, members, needed).length;
  if (counted < needed) {
    throw new ChainError({ code: ChainErrorCode.CERTIFICATE_NO_QUORUM, counted, needed, members: members.length });
  }
}
