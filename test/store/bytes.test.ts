import { expect } from "chai";
import { readUint32, readUint64, writeUint32, writeUint64 } from "../../node/store/bytes";

describe("store byte helpers: fixed-width big-endian integers", () => {
  it("writes uint64 as DataView's big-endian and reads it back, up to 2^53 − 1", () => {
    const out = new Uint8Array(10);
    for (const value of [0, 1, 255, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 12_345, Number.MAX_SAFE_INTEGER]) {
      writeUint64(out, 1, value);
      expect(new DataView(out.buffer).getBigUint64(1)).to.equal(BigInt(value));
      expect(readUint64(out, 1)).to.equal(value);
    }
  });

  it("refuses to write what is not a safe non-negative integer, and to read a stored value ≥ 2^53", () => {
    const out = new Uint8Array(8);
    for (const bad of [-1, 1.5, 2 ** 53, Number.NaN]) expect(() => writeUint64(out, 0, bad)).to.throw(RangeError);
    new DataView(out.buffer).setBigUint64(0, 2n ** 53n);
    expect(() => readUint64(out, 0)).to.throw(RangeError, "too large");
  });

  it("writes uint32 as DataView's big-endian and reads it back, refusing values outside [0, 2^32)", () => {
    const out = new Uint8Array(4);
    for (const value of [0, 0x7fffffff, 0x80000000, 0xdeadbeef, 0xffffffff]) {
      writeUint32(out, 0, value);
      expect(new DataView(out.buffer).getUint32(0)).to.equal(value);
      expect(readUint32(out, 0)).to.equal(value);
    }
    for (const bad of [-1, 2 ** 32, 0.5]) expect(() => writeUint32(out, 0, bad)).to.throw(RangeError);
  });
});
