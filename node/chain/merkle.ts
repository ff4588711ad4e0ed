import type { Hex } from "../types/primitives";
import { keccak256 as sha3keccak } from "js-sha3";
import { concatBytes, keccak256, toHex, uintBytes } from "./bytes";
import { ZERO_HASH } from "./bytes";

/**
 * Binary Merkle root over a list of encoded items.
 *  - leaf  = keccak256(0x00 ‖ item), node = keccak256(0x01 ‖ left ‖ right): the prefixes keep a
 *    leaf from being passed off as an inner node (second-preimage attack on plain Merkle trees);
 *  - an odd node at the end of a level is promoted unchanged (no duplication, so the lists
 *    [a, b, c] and [a, b, c, c] have different roots, unlike Bitcoin's tree);
 *  - the root is finally bound to the item count: root = keccak256(uint64 count ‖ tree root), and
 *    the root of an empty list is ZERO_HASH.
 */
export function merkleRoot(items: readonly Uint8Array[]): Hex {
  if (items.length === 0) return ZERO_HASH;
  let level = items.map((item) => hashOf(LEAF, item));
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(i + 1 < level.length ? hashOf(NODE, level[i], level[i + 1]) : level[i]);
    }
    level = next;
  }
  return toHex(keccak256(concatBytes([uintBytes(items.length, 8), level[0]])));
}

/** keccak256 of the parts in a row, fed to the hasher one by one rather than copied together first. */
function hashOf(...parts: Uint8Array[]): Uint8Array {
  const hasher = sha3keccak.create();
  for (const part of parts) hasher.update(part);
  return new Uint8Array(hasher.arrayBuffer());
}

const LEAF = new Uint8Array([0]);
const NODE = new Uint8Array([1]);
