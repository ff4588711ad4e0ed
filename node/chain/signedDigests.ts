import { MAX_CERTIFICATE_SIGNATURES } from "./certificate";
import { headerHash } from "./headerCodec";
import type { SignedDigest } from "./recoveryPool";
import { transactionDigest } from "./transaction";
import type { FinalizedBlock } from "./types";
import { blockDigest, voteDigest } from "./voteDigest";

/**
 * Every signature a verifier of this finalized block recovers — the proposer's, each
 * transaction's, each precommit's — with the digest it must be over, for RecoveryPool.recoverAll
 * ahead of verifyBlock and verifyCertificate. A transaction too malformed to have a digest is left
 * out (so is anything else malformed): the verifier rejects it by itself.
 */
export function signedDigestsOf(chainId: bigint, { block, certificate }: FinalizedBlock): SignedDigest[] {
  const out: SignedDigest[] = [];
  try {
    out.push({ digest: blockDigest(chainId, headerHash(block.header)), signature: block.proposerSignature });
  } catch {
    // malformed header: verifyBlock names it
  }
  for (const tx of block.body.transactions) {
    try {
      out.push({ digest: transactionDigest(chainId, tx), signature: tx.signature });
    } catch {
      // malformed: verifyBlock names it
    }
  }
  let precommit: Uint8Array;
  try {
    precommit = voteDigest("precommit", chainId, certificate.height, certificate.round, certificate.blockHash);
  } catch {
    return out; // malformed: verifyCertificate names it
  }
  for (const signature of certificate.signatures.slice(0, MAX_CERTIFICATE_SIGNATURES)) {
    out.push({ digest: precommit, signature });
  }
  return out;
}
