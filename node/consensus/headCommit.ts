import { MAX_CERTIFICATE_SIGNATURES } from "../chain/certificate";
import { recoverSigner } from "../chain/signing";
import type { CommitCertificate } from "../chain/types";
import { voteDigest } from "../chain/voteDigest";
import type { Address, Hex } from "../types/primitives";
import type { ConsensusMessage } from "./messages";

/** What became of a precommit offered to the head's certificate. */
export type LatePrecommit = "added" | "forged" | "not taken";

/**
 * The head block's commit certificate as this node holds it for the next block's lastCommit: the
 * certificate it decided (or imported) with, plus members' precommits that came after. Its
 * signers are recovered once per head, so neither a late precommit nor the canonical lastCommit
 * of each new mining job costs a recovery per member again; a member's precommit sent again costs
 * a map look-up.
 */
export class HeadCommit {
  /** One valid precommit per member, by signer; recovered on first use. */
  private bySigner: Map<Address, Hex> | null = null;
  private readonly digest: Uint8Array;

  constructor(
    private readonly chainId: bigint,
    readonly certificate: CommitCertificate,
    /** The set whose precommits count: the head block's (lastCommit.ts `parentSet`). */
    private readonly members: readonly Address[],
  ) {
    this.digest = voteDigest("precommit", chainId, certificate.height, certificate.round, certificate.blockHash);
  }

  /** Takes a member's precommit for the head block (same height, round and hash) that it lacks. */
  offer(message: ConsensusMessage): LatePrecommit {
    const c = this.certificate;
    if (message?.type !== "vote" || message.kind !== "precommit") return "not taken";
    if (message.height !== c.height || message.round !== c.round || message.blockHash !== c.blockHash)
      return "not taken";
    if (!this.members.includes(message.validator)) return "not taken";
    const signers = this.signers();
    if (signers.has(message.validator)) return "not taken";
    if (recoverSigner(this.digest, message.signature) !== message.validator) return "forged";
    signers.set(message.validator, message.signature);
    return "added";
  }

  /**
   * What an honest proposer carries as lastCommit: one valid precommit per member, in the set's
   * order, so that it passes verifyLastCommit (a certificate a node accepted may hold duplicates or
   * strangers' signatures, which count for nothing there), with the late precommits.
   */
  canonical(): CommitCertificate {
    const signers = this.signers();
    const signatures = [...new Set(this.members)].flatMap((m) => {
      const signature = signers.get(m);
      return signature === undefined ? [] : [signature];
    });
    return { ...this.certificate, signatures };
  }

  /** The first valid precommit of each member among the certificate's signatures, by signer. */
  private signers(): Map<Address, Hex> {
    if (this.bySigner !== null) return this.bySigner;
    const members = new Set(this.members);
    const bySigner = new Map<Address, Hex>();
    for (const signature of this.certificate.signatures.slice(0, MAX_CERTIFICATE_SIGNATURES)) {
      const signer = recoverSigner(this.digest, signature);
      if (signer !== null && members.has(signer) && !bySigner.has(signer)) bySigner.set(signer, signature);
      if (bySigner.size === members.size) break;
    }
    return (this.bySigner = bySigner);
  }
}
