import { keccak256 as sha3keccak } from "js-sha3";
import type { Hex } from "../types/primitives";

/** 32 zero bytes as hex: the "nil" hash (no parent, no election result, nil vote). */
export const ZERO_HASH: Hex = `0x${"00".repeat(32)}`;

/** keccak256 via js-sha3: ≈2.6× faster than ethers' on headers, which matters for PoW and sync. */
export function keccak256(data: Uint8Array): Uint8Array {
  return new Uint8Array(sha3keccak.arrayBuffer(data));
}

export function keccak256Hex(data: Uint8Array): Hex {
  return `0x${sha3keccak(data)}`;
}

export function toHex(bytes: Uint8Array): Hex {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex")}`;
}

/**
 * Parses 0x-hex; `length` (in bytes), when given, is enforced. Buffer's decoder stops at the first
 * pair that is not hex, so writing exactly half the digits' count of bytes proves every digit was
 * one (this runs for every signature, hash and address a node reads; a regex cost more than the
 * decode, and decoding straight into the result saves a copy).
 */
export function fromHex(hex: string, length?: number): Uint8Array {
  const digits = typeof hex === "string" ? hex.length - 2 : -1;
  const ok = digits >= 0 && digits % 2 === 0 && hex.startsWith("0x");
  const out = new Uint8Array(ok ? digits / 2 : 0);
  const written = ok ? Buffer.from(out.buffer).write(hex.slice(2), "hex") : -1;
  if (written !== out.length) throw new TypeError(`not 0x-prefixed even-length hex: ${String(hex).slice(0, 20)}`);
  if (length !== undefined && out.length !== length) {
    throw new TypeError(`expected ${length} bytes, got ${out.length}`);
  }
  return out;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Writes `value` big-endian into `width` bytes; throws if it does not fit (never truncates). */
export function uintBytes(value: bigint | number, width: number): Uint8Array {
  // Fast path for the common case (heights, rounds, lengths, nonces, chain ids): no BigInt loop.
  if (width === 8 && typeof value === "bigint" && value >= 0n && value < TWO_64) {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, value);
    return out;
  }
  if (
    width <= 6 &&
    typeof value === "number" &&
    Number.isSafeInteger(value) &&
    value >= 0 &&
    value < 2 ** (8 * width)
  ) {
    const out = new Uint8Array(width);
    for (let i = width - 1, v = value; i >= 0; i--, v = Math.floor(v / 256)) out[i] = v % 256;
    return out;
  }
  let v = BigInt(value);
  if (v < 0n || v >= 1n << BigInt(width * 8)) throw new RangeError(`${value} does not fit in ${width} bytes`);
  const out = new Uint8Array(width);
  for (let i = width - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

const TWO_64 = 1n << 64n;

export function bytesToBigint(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(toHex(bytes));
}

/** Big-endian comparison of two equally long byte strings: negative, zero or positive. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Lowercases and checks a 20-byte address. */
export function normalizeAddress(address: string): `0x${string}` {
  const lower = address.toLowerCase();
  fromHex(lower, 20);
  return lower as `0x${string}`;
}
