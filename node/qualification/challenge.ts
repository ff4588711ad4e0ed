import { getBytes, hexlify } from "ethers";
import { keccak256 } from "js-sha3";
import secp256k1 from "secp256k1";
import type { Address, Hex } from "../types/primitives";

/**
 * The qualification challenge an auditor uses to measure a candidate's device itself (issue 10 §5),
 * instead of trusting a figure the candidate reports. Pure functions shared by the auditor (which
 * issues and checks) and `repchain apply` (which answers):
 *
 * 1. Proof of work. The auditor sends a fresh random `seed`; the candidate finds the `powSolutions`
 *    smallest nonces n for which keccak256(seed ‖ candidate ‖ uint64 n) starts with
 *    `powDifficultyBits` zero bits — the miner's own hash. The expected work is powSolutions ×
 *    2^powDifficultyBits hashes, and the auditor times it from issue to answer.
 * 2. Signature work. Only after a valid PoW answer (so that asking costs the auditor nothing) the
 *    auditor reveals `signatureCount` signatures by a throw-away key over messages derived from the
 *    seed; about half are made over a different message. The candidate answers with the bitmap of
 *    the valid ones: guessing it succeeds with probability 2^-count, so the answer proves that many
 *    secp256k1 verifications — what a representative does all day — and the auditor times them.
 *
 * Both figures are the auditor's own: expected work divided by the time it observed (network
 * latency included, so they are floors). The transcript of the exchange is hashed, and that hash is
 * what the credential's qualificationHash commits to.
 */
export interface ChallengeSpec {
  readonly powDifficultyBits: number;
  readonly powSolutions: number;
  readonly signatureCount: number;
}

/** What an auditor sends for the signature stage: a public key and one 64-byte signature per message. */
export interface SignatureBatch {
  /** Uncompressed secp256k1 public key of the throw-away key (65 bytes). */
  readonly publicKey: Hex;
  /** Compact (r ‖ s) signatures, one per message index. */
  readonly signatures: readonly Hex[];
}

/** The signature batch and the answer only its maker knows. */
export interface SecretSignatureBatch {
  readonly batch: SignatureBatch;
  /** Bit i set when signature i is valid for message i. */
  readonly validBitmap: Hex;
}

/** The limits a spec must stay within (an auditor's config, a client refusing an absurd challenge). */
export const SPEC_LIMITS = { powDifficultyBits: 32, powSolutions: 256, signatureCount: 4_096 } as const;

const POW_INPUT_BYTES = 32 + 20 + 8;

/** keccak256(seed ‖ candidate ‖ uint64 nonce): the hash a PoW solution must make small. */
export function powDigest(seed: Hex, candidate: Address, nonce: bigint): Uint8Array {
  const input = powInput(seed, candidate);
  new DataView(input.buffer).setBigUint64(52, nonce);
  return new Uint8Array(keccak256.arrayBuffer(input));
}

function powInput(seed: Hex, candidate: Address): Uint8Array {
  const input = new Uint8Array(POW_INPUT_BYTES);
  input.set(getBytes(seed), 0);
  input.set(getBytes(candidate), 32);
  return input;
}

/** Whether the first `bits` bits of `digest` are zero. */
export function meetsDifficulty(digest: Uint8Array, bits: number): boolean {
  let remaining = bits;
  for (const byte of digest) {
    if (remaining <= 0) return true;
    if (remaining >= 8) {
      if (byte !== 0) return false;
    } else {
      return byte >> (8 - remaining) === 0;
    }
    remaining -= 8;
  }
  return remaining <= 0;
}

/**
 * The candidate's side of stage 1: the `powSolutions` smallest solving nonces, ascending. Taking the
 * smallest ones makes the answer unique, so the auditor can also reject an answer that skipped any.
 */
export function solvePow(seed: Hex, candidate: Address, spec: ChallengeSpec): bigint[] {
  const input = powInput(seed, candidate);
  const view = new DataView(input.buffer);
  const solutions: bigint[] = [];
  for (let nonce = 0n; solutions.length < spec.powSolutions; nonce++) {
    view.setBigUint64(52, nonce);
    if (meetsDifficulty(new Uint8Array(keccak256.arrayBuffer(input)), spec.powDifficultyBits)) solutions.push(nonce);
  }
  return solutions;
}

/**
 * The auditor's check of stage 1: the right number of strictly ascending solving nonces. Returns a
 * description of the first fault, or undefined. (It does not re-search the gaps: skipping smaller
 * solutions only makes the candidate's work larger, never smaller.)
 */
export function checkPowAnswer(
  seed: Hex,
  candidate: Address,
  spec: ChallengeSpec,
  nonces: readonly bigint[],
): string | undefined {
  if (nonces.length !== spec.powSolutions) return `expected ${spec.powSolutions} nonces, got ${nonces.length}`;
  for (let i = 0; i < nonces.length; i++) {
    if (i > 0 && nonces[i] <= nonces[i - 1]) return `nonce ${i} (${nonces[i]}) is not above nonce ${i - 1}`;
    if (!meetsDifficulty(powDigest(seed, candidate, nonces[i]), spec.powDifficultyBits)) {
      return `nonce ${i} (${nonces[i]}) does not meet ${spec.powDifficultyBits} zero bits`;
    }
  }
  return undefined;
}

/**
 * Message i of the signature stage: keccak256(seed ‖ uint32 i), packed. (js-sha3 on raw bytes: the
 * candidate's time should go to verifying, not to encoding.) `tag` 1 appends one byte: the message an
 * invalid entry is really signed over.
 */
export function batchMessage(seed: Uint8Array, index: number, tag?: 1): Uint8Array {
  const input = new Uint8Array(tag === undefined ? 36 : 37);
  input.set(seed, 0);
  new DataView(input.buffer).setUint32(32, index);
  if (tag !== undefined) input[36] = tag;
  return new Uint8Array(keccak256.arrayBuffer(input));
}

/**
 * The auditor's side of stage 2. `random(n)` gives n random bytes (the throw-away key, the valid
 * bits); an invalid entry is a real signature over another message, so it cannot be told apart
 * without verifying it.
 */
export function makeSignatureBatch(
  seed: Hex,
  count: number,
  random: (bytes: number) => Uint8Array,
): SecretSignatureBatch {
  let privateKey: Uint8Array;
  do privateKey = random(32);
  while (!secp256k1.privateKeyVerify(privateKey));
  const validBitmap = random(Math.ceil(count / 8));
  const seedBytes = getBytes(seed);
  const signatures: Hex[] = [];
  for (let i = 0; i < count; i++) {
    const message = isBitSet(validBitmap, i) ? batchMessage(seedBytes, i) : batchMessage(seedBytes, i, 1);
    signatures.push(`0x${Buffer.from(secp256k1.ecdsaSign(message, privateKey).signature).toString("hex")}` as Hex);
  }
  clearUnusedBits(validBitmap, count);
  return {
    batch: { publicKey: hexlify(secp256k1.publicKeyCreate(privateKey, false)) as Hex, signatures },
    validBitmap: hexlify(validBitmap) as Hex,
  };
}

/** The candidate's side of stage 2: verify every signature and answer with the bitmap of valid ones. */
export function verifySignatureBatch(seed: Hex, batch: SignatureBatch): Hex {
  const publicKey = getBytes(batch.publicKey);
  const seedBytes = getBytes(seed);
  const bitmap = new Uint8Array(Math.ceil(batch.signatures.length / 8));
  batch.signatures.forEach((signature, i) => {
    const compact = Buffer.from(signature.slice(2), "hex");
    if (secp256k1.ecdsaVerify(compact, batchMessage(seedBytes, i), publicKey)) setBit(bitmap, i);
  });
  return hexlify(bitmap) as Hex;
}

function isBitSet(bitmap: Uint8Array, index: number): boolean {
  return ((bitmap[index >> 3] >> (index & 7)) & 1) === 1;
}

function setBit(bitmap: Uint8Array, index: number): void {
  bitmap[index >> 3] |= 1 << (index & 7);
}

function clearUnusedBits(bitmap: Uint8Array, count: number): void {
  if (count % 8 !== 0) bitmap[bitmap.length - 1] &= (1 << (count % 8)) - 1;
}

/** Operations per second from an amount of work and the milliseconds it took (at least 1 ms). */
export function ratePerSecond(work: bigint, elapsedMs: bigint): bigint {
  return (work * 1000n) / (elapsedMs > 0n ? elapsedMs : 1n);
}

/** The hashes a PoW answer is expected to have cost: powSolutions × 2^powDifficultyBits. */
export function expectedPowHashes(spec: ChallengeSpec): bigint {
  return BigInt(spec.powSolutions) << BigInt(spec.powDifficultyBits);
}
