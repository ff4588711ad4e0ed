import type { Address, Hex } from "../types/primitives";
import { concatBytes, fromHex, keccak256Hex, toHex, uintBytes, ZERO_HASH } from "./bytes";
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

/**
 * The canonical bytes of a certificate, as a block's lastCommit carries it and its header's
 * lastCommitHash commits to: uint64 height ‖ uint32 round ‖ bytes32 blockHash ‖ uint32 n ‖ n × 65-byte
 * signature.
 */
export function encodeCommitCertificate(c: CommitCertificate): Uint8Array {
  return concatBytes([
    uintBytes(c.height, 8),
    uintBytes(c.round, 4),
    fromHex(c.blockHash, 32),
    uintBytes(c.signatures.length, 4),
    ...c.signatures.map((s) => fromHex(s, SIGNATURE_BYTES)),
  ]);
}

const SIGNATURE_BYTES = 65;
export const CERTIFICATE_FIXED_BYTES = 8 + 4 + 32 + 4;

/** The inverse of encodeCommitCertificate; a RangeError for anything else, or more than MAX_CERTIFICATE_SIGNATURES. */
export function decodeCommitCertificate(bytes: Uint8Array): CommitCertificate {
  if (bytes.length < CERTIFICATE_FIXED_BYTES) throw new RangeError(`certificate of ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const height = Number(view.getBigUint64(0));
  if (!Number.isSafeInteger(height)) throw new RangeError(`certificate height ${height}`);
  const n = view.getUint32(44);
  if (n > MAX_CERTIFICATE_SIGNATURES)
    throw new RangeError(`certificate of ${n} signatures > ${MAX_CERTIFICATE_SIGNATURES}`);
  if (bytes.length !== CERTIFICATE_FIXED_BYTES + n * SIGNATURE_BYTES) {
    throw new RangeError(`certificate of ${n} signatures is ${bytes.length} bytes`);
  }
  const signatures = Array.from({ length: n }, (_, i) => {
    const at = CERTIFICATE_FIXED_BYTES + i * SIGNATURE_BYTES;
    return toHex(bytes.subarray(at, at + SIGNATURE_BYTES));
  });
  return { height, round: view.getUint32(8), blockHash: toHex(bytes.subarray(12, 44)), signatures };
}

/** The header's lastCommitHash: keccak256 of the canonical bytes; the zero hash for none (height 1). */
export function commitCertificateHash(c: CommitCertificate | null): Hex {
  return c === null ? ZERO_HASH : keccak256Hex(encodeCommitCertificate(c));
}
