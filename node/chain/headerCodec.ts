import type { Hex } from "../types/primitives";
import { bytesToBigint, concatBytes, fromHex, keccak256, keccak256Hex, toHex, uintBytes } from "./bytes";
import { ChainError, ChainErrorCode } from "./errors";
import type { BlockHeader } from "./types";

/**
 * Canonical header encoding: the fields in declaration order, each big-endian and fixed-width
 * (Solidity's `abi.encodePacked` of fixed-size types gives the same bytes). Fixed widths make the
 * encoding unambiguous without length prefixes (328 bytes; the miner hashes the header without its
 * nonce once per job, pow.ts). The nonce is last so a miner rewrites 8 bytes only.
 */
const LAYOUT = [
  ["chainId", 8],
  ["height", 8],
  ["epoch", 8],
  ["round", 4],
  ["parentHash", 32],
  ["timestamp", 8],
  ["proposer", 20],
  ["l1AnchorNumber", 8],
  ["l1AnchorHash", 32],
  ["eventsRoot", 32],
  ["evidenceRoot", 32],
  ["txRoot", 32],
  ["electionResultHash", 32],
  ["lastCommitHash", 32],
  ["powTarget", 32],
  ["nonce", 8],
] as const satisfies readonly (readonly [keyof BlockHeader, number])[];

export const HEADER_BYTES = LAYOUT.reduce((sum, [, width]) => sum + width, 0);
/** Offset of the nonce: the miner's only moving part. */
export const NONCE_OFFSET = HEADER_BYTES - 8;

const BYTES_FIELDS = new Set<keyof BlockHeader>([
  "parentHash",
  "proposer",
  "l1AnchorHash",
  "eventsRoot",
  "evidenceRoot",
  "txRoot",
  "electionResultHash",
  "lastCommitHash",
]);

export function encodeHeader(header: BlockHeader): Uint8Array {
  return concatBytes(
    LAYOUT.map(([field, width]) => {
      const value = header[field];
      if (BYTES_FIELDS.has(field)) return fromHex(value as string, width);
      if (typeof value === "number" && !Number.isSafeInteger(value)) {
        throw new ChainError({ code: ChainErrorCode.MALFORMED, reason: `${field} is not an integer` });
      }
      try {
        return uintBytes(value as bigint | number, width);
      } catch {
        throw new ChainError({ code: ChainErrorCode.MALFORMED, reason: `${field}=${String(value)} out of range` });
      }
    }),
  );
}

export function decodeHeader(bytes: Uint8Array): BlockHeader {
  if (bytes.length !== HEADER_BYTES) {
    throw new ChainError({ code: ChainErrorCode.MALFORMED, reason: `header is ${bytes.length} bytes` });
  }
  const out: Record<string, unknown> = {};
  let offset = 0;
  for (const [field, width] of LAYOUT) {
    const slice = bytes.subarray(offset, offset + width);
    offset += width;
    if (BYTES_FIELDS.has(field)) out[field] = toHex(slice);
    else if (field === "chainId" || field === "powTarget" || field === "nonce") out[field] = bytesToBigint(slice);
    else out[field] = Number(bytesToBigint(slice));
  }
  return out as unknown as BlockHeader;
}

/**
 * Headers are immutable values, hashed many times on their way through a node (proposal check,
 * validity, votes, certificate, storage); memoised per object. A mutated copy is a new object.
 */
const hashes = new WeakMap<BlockHeader, Hex>();

export function headerHash(header: BlockHeader): Hex {
  let hash = hashes.get(header);
  if (hash === undefined) {
    hash = keccak256Hex(encodeHeader(header));
    hashes.set(header, hash);
  }
  return hash;
}

export function headerHashBytes(header: BlockHeader): Uint8Array {
  return keccak256(encodeHeader(header));
}
