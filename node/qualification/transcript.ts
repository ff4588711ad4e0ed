import { AbiCoder, concat, keccak256 } from "ethers";
import type { Address, Hex } from "../types/primitives";
import { expectedPowHashes, ratePerSecond, type ChallengeSpec, type SignatureBatch } from "./challenge";

/**
 * The record of one qualification challenge, as the auditor observed it: what it asked, what it
 * was answered, when (its own clock, milliseconds), and the throughput it derived from that. Its
 * hash is what an application cites and the credential's qualificationHash commits to, so a
 * credential can always be traced back to a measurement the auditor made itself.
 */
export interface ChallengeTranscript extends ChallengeSpec {
  readonly auditor: Address;
  /** The random seed, which is also the challenge's id. */
  readonly challenge: Hex;
  /** The candidate the challenge was issued to; the PoW hashes include it. */
  readonly candidate: Address;
  readonly issuedAtMs: bigint;
  readonly powAnsweredAtMs: bigint;
  /** keccak256(abi.encode(uint64[] nonces)) of the PoW answer. */
  readonly powAnswerHash: Hex;
  /** When the signature batch was handed out (after it was made). */
  readonly signaturesIssuedAtMs: bigint;
  readonly signaturesAnsweredAtMs: bigint;
  /** keccak256(publicKey ‖ signatures…) of the batch. */
  readonly signatureBatchHash: Hex;
  /** The (correct) bitmap of valid signatures the candidate answered. */
  readonly validBitmap: Hex;
  /** Measured: expected PoW hashes / (powAnsweredAtMs − issuedAtMs). */
  readonly powHashesPerSecond: bigint;
  /** Measured: signatureCount / (signaturesAnsweredAtMs − signaturesIssuedAtMs). */
  readonly sigVerificationsPerSecond: bigint;
}

const TRANSCRIPT_ABI = [
  "tuple(address auditor, bytes32 challenge, address candidate, uint8 powDifficultyBits, uint32 powSolutions, " +
    "uint32 signatureCount, uint64 issuedAtMs, uint64 powAnsweredAtMs, bytes32 powAnswerHash, " +
    "uint64 signaturesIssuedAtMs, uint64 signaturesAnsweredAtMs, bytes32 signatureBatchHash, bytes validBitmap, " +
    "uint64 powHashesPerSecond, uint64 sigVerificationsPerSecond)",
];

/** keccak256 of the transcript's ABI encoding: the value applications cite. */
export function transcriptHash(t: ChallengeTranscript): Hex {
  return keccak256(AbiCoder.defaultAbiCoder().encode(TRANSCRIPT_ABI, [t])) as Hex;
}

export function powAnswerHash(nonces: readonly bigint[]): Hex {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["uint64[]"], [nonces])) as Hex;
}

export function signatureBatchHash(batch: SignatureBatch): Hex {
  return keccak256(concat([batch.publicKey, ...batch.signatures])) as Hex;
}

/** The two throughput figures from the stage timings: work done over the time the auditor saw it take. */
export function measuredRates(
  spec: ChallengeSpec,
  times: { issuedAtMs: bigint; powAnsweredAtMs: bigint; signaturesIssuedAtMs: bigint; signaturesAnsweredAtMs: bigint },
): { powHashesPerSecond: bigint; sigVerificationsPerSecond: bigint } {
  return {
    powHashesPerSecond: ratePerSecond(expectedPowHashes(spec), times.powAnsweredAtMs - times.issuedAtMs),
    sigVerificationsPerSecond: ratePerSecond(
      BigInt(spec.signatureCount),
      times.signaturesAnsweredAtMs - times.signaturesIssuedAtMs,
    ),
  };
}

/** The unix second a transcript's measurement ended: what the rules' age limit is checked against. */
export function measuredAtSeconds(t: ChallengeTranscript): bigint {
  return t.signaturesAnsweredAtMs / 1000n;
}
