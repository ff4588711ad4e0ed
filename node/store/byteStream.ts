import type { Hex } from "../types/primitives";
import { readUint32, readUint64, writeUint32, writeUint64 } from "./bytes";

/** Appends big-endian integers and length-prefixed byte strings; the store's value formats use it. */
export class ByteWriter {
  private readonly parts: Uint8Array[] = [];

  uint8(value: number): void {
    this.parts.push(Uint8Array.of(value));
  }

  uint32(value: number): void {
    const out = new Uint8Array(4);
    writeUint32(out, 0, value);
    this.parts.push(out);
  }

  uint64(value: number): void {
    const out = new Uint8Array(8);
    writeUint64(out, 0, value);
    this.parts.push(out);
  }

  /** u32 length ‖ bytes. */
  bytesOf(bytes: Uint8Array): void {
    this.uint32(bytes.length);
    this.parts.push(bytes);
  }

  /** A 0x-hex string as length-prefixed bytes. */
  hex(value: Hex): void {
    this.bytesOf(Buffer.from(value.slice(2), "hex"));
  }

  /** u32 count, then each item. */
  list<T>(items: readonly T[], write: (item: T) => void): void {
    this.uint32(items.length);
    items.forEach(write);
  }

  bytes(): Uint8Array {
    return Buffer.concat(this.parts);
  }
}

/** Reads what ByteWriter wrote; every read is bounds-checked, a short or long input is a RangeError. */
export class ByteReader {
  private offset = 0;

  constructor(private readonly input: Uint8Array) {}

  private take(length: number): Uint8Array {
    if (this.offset + length > this.input.length) {
      throw new RangeError(`stored value ends at ${this.input.length} bytes, ${length} more wanted at ${this.offset}`);
    }
    const out = this.input.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  uint8(): number {
    return this.take(1)[0];
  }

  uint32(): number {
    return readUint32(this.take(4), 0);
  }

  uint64(): number {
    return readUint64(this.take(8), 0);
  }

  bytesOf(): Uint8Array {
    return this.take(this.uint32());
  }

  hex(): Hex {
    return `0x${Buffer.from(this.bytesOf()).toString("hex")}`;
  }

  list<T>(read: () => T): T[] {
    const count = this.uint32();
    // Each item takes at least 4 bytes: a count the input cannot hold is corruption, not a huge loop.
    if (count * 4 > this.input.length - this.offset) throw new RangeError(`list of ${count} items in a short value`);
    return Array.from({ length: count }, read);
  }

  /** Throws unless every byte was read. */
  end(): void {
    if (this.offset !== this.input.length) throw new RangeError(`${this.input.length - this.offset} trailing bytes`);
  }
}
