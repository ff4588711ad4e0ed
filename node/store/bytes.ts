import type { Hex } from "../types/primitives";

/**
 * Fixed-width big-endian integers and hex <-> bytes, the building blocks of keys and values.
 * Big-endian keeps LevelDB's byte order equal to numeric order, which range scans rely on.
 */

const TWO_32 = 2 ** 32;

/** As two uint32 halves: no BigInt nor DataView per call (keys of every stored event pass here). */
export function writeUint64(out: Uint8Array, offset: number, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a uint64 safe integer: ${value}`);
  writeUint32BE(out, offset, Math.floor(value / TWO_32));
  writeUint32BE(out, offset + 4, value % TWO_32);
}

export function readUint64(bytes: Uint8Array, offset: number): number {
  const high = readUint32BE(bytes, offset);
  const value = high * TWO_32 + readUint32BE(bytes, offset + 4);
  if (high > 0x1fffff) throw new RangeError(`stored uint64 too large: ${BigInt(high) * BigInt(TWO_32)} or more`);
  return value;
}

function writeUint32BE(out: Uint8Array, offset: number, value: number): void {
  out[offset] = value >>> 24;
  out[offset + 1] = (value >>> 16) & 0xff;
  out[offset + 2] = (value >>> 8) & 0xff;
  out[offset + 3] = value & 0xff;
}

function readUint32BE(bytes: Uint8Array, offset: number): number {
  return bytes[offset] * 2 ** 24 + ((bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]);
}

export function writeUint32(out: Uint8Array, offset: number, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`not a uint32: ${value}`);
  writeUint32BE(out, offset, value);
}

export function readUint32(bytes: Uint8Array, offset: number): number {
  return readUint32BE(bytes, offset);
}

/** Writes a 0x-hex string of exactly `length` bytes. */
export function writeHex(out: Uint8Array, offset: number, hex: Hex, length: number): void {
  if (hex.length !== 2 + 2 * length) throw new RangeError(`expected ${length} bytes of hex, got ${hex}`);
  out.set(Buffer.from(hex.slice(2), "hex"), offset);
}

export function readHex(bytes: Uint8Array, offset: number, length: number): Hex {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset + offset, length).toString("hex")}`;
}

/** `prefix` followed by `parts`, as one key. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}
