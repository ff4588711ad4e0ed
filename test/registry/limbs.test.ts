import { expect } from "chai";
import fc from "fast-check";
import {
  ADDITIONS_BEFORE_NORMALIZE,
  LIMBS,
  addLimbs,
  normalize,
  readLimbs,
  writeLimbs,
} from "../../node/registry/limbs";

const MAX_UINT256 = (1n << 256n) - 1n;
const arbUint256 = fc.oneof(
  fc.constantFrom(0n, 1n, 2n ** 32n - 1n, 2n ** 32n, MAX_UINT256),
  fc.bigInt({ min: 0n, max: MAX_UINT256 }),
);

/** A sum in limbs with one term's digits: the reducer's tally and a voter's power. */
function limbsOf(value: bigint): { digits: Uint32Array; length: number } {
  const digits = new Uint32Array(LIMBS);
  return { digits, length: writeLimbs(value, digits, 0) };
}

describe("limbs: exact uint256 sums in float64 digits", () => {
  it("adds and subtracts any uint256 terms exactly, whatever the order (compared with BigInt)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(arbUint256, fc.boolean()), { maxLength: 40 }), (terms) => {
        const sum = new Float64Array(LIMBS);
        let expected = 0n;
        for (const [value, negative] of terms) {
          const { digits, length } = limbsOf(value);
          addLimbs(sum, 0, digits, 0, length, negative ? -1 : 1);
          expected += negative ? -value : value;
        }
        normalize(sum, 0);
        expect(readLimbs(sum, 0)).to.equal(expected);
      }),
    );
  });

  it("stays exact for ADDITIONS_BEFORE_NORMALIZE additions of the largest uint256, above 2^256", () => {
    const sum = new Float64Array(LIMBS);
    const { digits, length } = limbsOf(MAX_UINT256);
    for (let i = 0; i < ADDITIONS_BEFORE_NORMALIZE; i++) addLimbs(sum, 0, digits, 0, length, 1);
    // Every digit is (2^32 - 1) · 2^20 < 2^53: still exact before the carries move up.
    normalize(sum, 0);
    expect(readLimbs(sum, 0)).to.equal(MAX_UINT256 * BigInt(ADDITIONS_BEFORE_NORMALIZE));
  });

  it("writes only the significant digits and refuses a value outside uint256", () => {
    expect(limbsOf(0n).length).to.equal(0);
    expect(limbsOf(2n ** 32n).length).to.equal(2);
    expect(limbsOf(MAX_UINT256).length).to.equal(LIMBS);
    expect(() => limbsOf(MAX_UINT256 + 1n)).to.throw(RangeError, /not a uint256/);
    expect(() => limbsOf(-1n)).to.throw(RangeError, /not a uint256/);
  });
});
