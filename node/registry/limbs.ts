/**
 * Exact uint256 sums without a BigInt per addition. The tally adds and subtracts voting powers
 * (uint256) a million times per replay; a BigInt sum allocates a new heap number each time, which
 * made the tally twice as slow. Instead a value is kept as LIMBS base-2^32 digits in a Float64Array,
 * and an addition adds digit by digit with no carry: a float64 holds every integer below 2^53
 * exactly, so a digit stays exact for 2^20 additions of digits < 2^32, after which `normalize`
 * moves the carries up. The top digit keeps its carry, so a sum above 2^256 stays exact too.
 */

/** Base-2^32 digits per value: 8 × 32 = 256 bits, the width of an L1 uint256. */
export const LIMBS = 8;
const BASE = 2 ** 32;
const MAX_UINT256 = (1n << 256n) - 1n;

/**
 * Additions a sum may take between two normalizations: each moves a digit by less than 2^32, and
 * a normalized digit is below 2^32, so after this many a digit is below 2^32 · (2^20 + 1) < 2^53.
 */
export const ADDITIONS_BEFORE_NORMALIZE = 2 ** 20;

/**
 * Writes the digits of `value` (a uint256) to out[at..at+LIMBS), least significant first, and
 * returns how many digits are significant (0 for zero): an addition only needs to touch those.
 */
export function writeLimbs(value: bigint, out: Uint32Array, at: number): number {
  if (value < 0n || value > MAX_UINT256) throw new RangeError(`limbs: ${value} is not a uint256`);
  let rest = value;
  let length = 0;
  for (let k = 0; k < LIMBS; k++) {
    const digit = Number(rest & 0xffffffffn);
    out[at + k] = digit;
    if (digit !== 0) length = k + 1;
    rest >>= 32n;
  }
  return length;
}

/** sum[at..] += sign · digits[from..from+length): no carries (see ADDITIONS_BEFORE_NORMALIZE). */
export function addLimbs(
  sum: Float64Array,
  at: number,
  digits: Uint32Array,
  from: number,
  length: number,
  sign: 1 | -1,
): void {
  for (let k = 0; k < length; k++) sum[at + k] += sign * digits[from + k];
}

/**
 * Moves the carries up so that every digit but the top one is in [0, 2^32). Exact: each digit is
 * an integer below 2^53 and the divisions are by a power of two. A negative sum (which a valid event
 * stream never produces) leaves a negative top digit, and reads back as the negative number it is.
 */
export function normalize(sum: Float64Array, at: number): void {
  let carry = 0;
  for (let k = 0; k < LIMBS - 1; k++) {
    const digit = sum[at + k] + carry;
    carry = Math.floor(digit / BASE);
    sum[at + k] = digit - carry * BASE;
  }
  sum[at + LIMBS - 1] += carry;
}

/** The value of a normalized sum. */
export function readLimbs(sum: Float64Array, at: number): bigint {
  let value = 0n;
  for (let k = LIMBS - 1; k >= 0; k--) value = (value << 32n) + BigInt(sum[at + k]);
  return value;
}
