import type { Address, Hex } from "../types/primitives";
import { bytesToBigint, concatBytes, fromHex, keccak256Hex, toHex, uintBytes, ZERO_HASH } from "./bytes";
import type { ChainConfig, ChainState } from "./chainState";
import { epochOf } from "./epochs";
import { ChainError, ChainErrorCode } from "./errors";
import { recoverSigner } from "./signing";
import { proposalDigest, voteDigest } from "./voteDigest";

/**
 * Proof that one signing key equivocated: two signatures of it at one (height, round, step) over
 * two different block hashes. An honest validator never produces this (its SignGuard signs at most
 * once per step), so the evidence proves a fault by itself, whoever brings it.
 *
 * - `prevote` / `precommit`: two votes (nil = the zero hash, as signed), the same payload
 *   CandidateRegistry.submitEquivocation takes on L1;
 * - `proposal`: two proposals; each half carries its validRound, which the proposal signature covers.
 */
export type EvidenceKind = "prevote" | "precommit" | "proposal";

/** One of the two signed messages. validRound is −1 for votes (not signed) and fresh proposals. */
export interface EvidenceHalf {
  readonly blockHash: Hex;
  readonly validRound: number;
  readonly signature: Hex;
}

export interface Evidence {
  readonly kind: EvidenceKind;
  /** The signing key both signatures recover to. */
  readonly signer: Address;
  readonly height: number;
  readonly round: number;
  /** Canonical order: a.blockHash < b.blockHash (evidenceOf sorts; decodeEvidence refuses otherwise). */
  readonly a: EvidenceHalf;
  readonly b: EvidenceHalf;
}

const KIND_CODES: Readonly<Record<EvidenceKind, number>> = { prevote: 1, precommit: 2, proposal: 3 };
const KINDS = new Map(Object.entries(KIND_CODES).map(([kind, code]) => [code, kind as EvidenceKind]));
const HEAD_BYTES = 1 + 20 + 8 + 4;
const VOTE_HALF_BYTES = 32 + 65;
const PROPOSAL_HALF_BYTES = 4 + 32 + 65;

/** The largest evidence encoding (a conflicting-proposal one): the bound of the gossip topic and the pool. */
export const MAX_EVIDENCE_BYTES = HEAD_BYTES + 2 * PROPOSAL_HALF_BYTES;
/** Most evidence a valid block carries: more than a set of 256 can produce per block, and cheap to verify. */
export const MAX_EVIDENCE_PER_BLOCK = 32;
/** Default of the genesis' maxEvidenceAgeBlocks: how far below the chain's next height evidence still counts. */
export const DEFAULT_MAX_EVIDENCE_AGE_BLOCKS = 10_000;
/** Largest maxEvidenceAgeBlocks a genesis may set (a uint32 in the genesis hash). */
export const MAX_EVIDENCE_AGE_BLOCKS_LIMIT = 2 ** 32 - 1;

function malformed(reason: string): never {
  throw new ChainError({ code: ChainErrorCode.BAD_EVIDENCE, reason });
}

/** Builds canonical evidence from two signed messages, in either order. */
export function evidenceOf(
  kind: EvidenceKind,
  signer: Address,
  height: number,
  round: number,
  first: EvidenceHalf,
  second: EvidenceHalf,
): Evidence {
  const [a, b] = first.blockHash < second.blockHash ? [first, second] : [second, first];
  return { kind, signer, height, round, a, b };
}

/**
 * kind (1) ‖ signer (20) ‖ uint64 height ‖ uint32 round ‖ half a ‖ half b, each half
 * [uint32 validRound + 1, proposals only] ‖ blockHash (32) ‖ signature (65); halves in blockHash
 * order, so the two orders of the same pair have one encoding (and one hash).
 */
export function encodeEvidence(e: Evidence): Uint8Array {
  const canonical = evidenceOf(e.kind, e.signer, e.height, e.round, e.a, e.b);
  const code = KIND_CODES[e.kind];
  if (code === undefined) malformed(`kind ${String(e.kind)} is not one of ${Object.keys(KIND_CODES).join(", ")}`);
  const half = (h: EvidenceHalf) =>
    concatBytes([
      ...(e.kind === "proposal" ? [uintBytes(h.validRound + 1, 4)] : []),
      fromHex(h.blockHash, 32),
      fromHex(h.signature, 65),
    ]);
  return concatBytes([
    Uint8Array.of(code),
    fromHex(e.signer, 20),
    uintBytes(e.height, 8),
    uintBytes(e.round, 4),
    half(canonical.a),
    half(canonical.b),
  ]);
}

export function decodeEvidence(bytes: Uint8Array): Evidence {
  const kind = KINDS.get(bytes[0]);
  if (kind === undefined) malformed(`kind byte ${bytes[0]} is not one of 1, 2, 3`);
  const halfBytes = kind === "proposal" ? PROPOSAL_HALF_BYTES : VOTE_HALF_BYTES;
  const expected = HEAD_BYTES + 2 * halfBytes;
  if (bytes.length !== expected) malformed(`${kind} evidence is ${bytes.length} bytes, expected ${expected}`);
  const height = Number(bytesToBigint(bytes.subarray(21, 29)));
  if (!Number.isSafeInteger(height)) malformed(`height ${height} is not a safe integer`);
  const half = (offset: number): EvidenceHalf => {
    const vr = kind === "proposal" ? Number(bytesToBigint(bytes.subarray(offset, offset + 4))) - 1 : -1;
    const at = kind === "proposal" ? offset + 4 : offset;
    return {
      blockHash: toHex(bytes.subarray(at, at + 32)),
      validRound: vr,
      signature: toHex(bytes.subarray(at + 32, at + 97)),
    };
  };
  const e: Evidence = {
    kind,
    signer: toHex(bytes.subarray(1, 21)) as Address,
    height,
    round: Number(bytesToBigint(bytes.subarray(29, 33))),
    a: half(HEAD_BYTES),
    b: half(HEAD_BYTES + halfBytes),
  };
  if (!(e.a.blockHash < e.b.blockHash))
    malformed(`block hashes not in ascending order (a ${e.a.blockHash}, b ${e.b.blockHash})`);
  return e;
}

/** keccak256 of the canonical encoding: the same for both orders of the pair. */
export function evidenceHash(e: Evidence): Hex {
  return keccak256Hex(encodeEvidence(e));
}

/** Whether `e` is vote evidence, the only kind CandidateRegistry.submitEquivocation takes. */
export function isVoteEvidence(e: Evidence): e is Evidence & { kind: "prevote" | "precommit" } {
  return e.kind === "prevote" || e.kind === "precommit";
}

function digestOf(chainId: bigint, e: Evidence, half: EvidenceHalf): Uint8Array {
  return e.kind === "proposal"
    ? proposalDigest(chainId, e.height, e.round, half.validRound, half.blockHash)
    : voteDigest(e.kind, chainId, e.height, e.round, half.blockHash);
}

/**
 * Why `e` is not for a height the chain can take now (from the future, or older than
 * maxEvidenceAgeBlocks), or null. Peers a block apart disagree on this in good faith, so gossip
 * IGNOREs such evidence instead of blaming the sender; a block carrying it is invalid all the same.
 */
export function untimelyEvidence(config: ChainConfig, state: ChainState, e: Evidence): string | null {
  const next = state.height + 1;
  if (!Number.isSafeInteger(e.height) || e.height < 1 || e.height > next) {
    return `height ${e.height} not in [1, ${next}] (evidence from the future)`;
  }
  const maxAge = config.genesis.maxEvidenceAgeBlocks;
  if (next - e.height > maxAge) return `height ${e.height} is older than maxEvidenceAgeBlocks ${maxAge} below ${next}`;
  return null;
}

/**
 * Whether `e` proves an equivocation of a member of its height's set, on this chain, recent enough,
 * for the chain whose next block is state.height + 1. Throws BAD_EVIDENCE naming what is wrong.
 * Signatures are recovered last (they cost the most).
 */
export function verifyEvidence(config: ChainConfig, state: ChainState, e: Evidence): void {
  const untimely = untimelyEvidence(config, state, e);
  if (untimely !== null) malformed(untimely);
  if (!Number.isSafeInteger(e.round) || e.round < 0 || e.round >= 2 ** 32) malformed(`round ${e.round} out of range`);
  if (e.a.blockHash === e.b.blockHash) malformed(`both halves sign block ${e.a.blockHash}: no equivocation`);
  if (e.kind !== "proposal" && (e.a.validRound !== -1 || e.b.validRound !== -1)) {
    malformed(`vote evidence carries validRound ${e.a.validRound}/${e.b.validRound}, expected −1`);
  }
  const epoch = epochOf(e.height, config.genesis.epochLength);
  const set = state.setsByEpoch.get(epoch);
  if (set === undefined || !set.includes(e.signer)) {
    malformed(`signer ${e.signer} is not a representative of epoch ${epoch} (height ${e.height})`);
  }
  for (const [name, half] of [
    ["a", e.a],
    ["b", e.b],
  ] as const) {
    const recovered = recoverSigner(digestOf(config.genesis.chainId, e, half), half.signature);
    if (recovered !== e.signer) {
      malformed(
        `signature ${name} recovers to ${recovered ?? "nothing"}, expected signer ${e.signer} on chain ${config.genesis.chainId}`,
      );
    }
  }
}

/** The nil vote's block hash in evidence, as it is signed. */
export function signedBlockHash(blockHash: Hex | null): Hex {
  return blockHash ?? ZERO_HASH;
}
