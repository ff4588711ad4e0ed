import type { Hex } from "../types/primitives";

/**
 * Fixed-width big-endian integers and hex <-> bytes, the building blocks of keys and values.
 * Big-endian keeps LevelDB's byte order equal to numeric order, which range scans rely on.
 */

export function writeUint64(out: Uint8Array, offset: number, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a uint64 safe integer: ${value}`);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setBigUint64(offset, BigInt(value));
}

export function readUint64(bytes: Uint8Array, offset: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const value = view.getBigUint64(offset);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`stored uint64 too large: ${value}`);
  return Number(value);
}

export function writeUint32(out: Uint8Array, offset: number, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`not a uint32: ${value}`);
  new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(offset, value);
}

export function readUint32(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset);
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
