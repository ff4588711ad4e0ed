import { AbiCoder } from "ethers";
import { fromHex, keccak256Hex, uintBytes, ZERO_HASH } from "../chain/bytes";
import type { Address, Hex } from "../types/primitives";

/** An elected (candidate, signing key) pair: the L2 checks its votes against the key standing at the snapshot. */
export interface Representative {
  /** The candidate's identity: its first address, which never changes. */
  readonly address: Address;
  /** The key it signs L2 blocks and votes with in the epoch it was elected for. */
  readonly signingKey: Address;
  /** Token units: the sum of the voting power of the voters whose approval of it stands. */
  readonly votes: bigint;
}

const TYPES = ["(address,address,uint256)[]"];

/** Bytes per ABI word: the array's offset, its length, and each of a tuple's three fields take one. */
const WORD = 32;

/**
 * The canonical bytes of an election result as L2 blocks carry it:
 * abi.encode((address candidate, address signingKey, uint256 votes)[]), the representatives in
 * election order with their signing keys and votes. Only the list: an epoch whose election
 * fell short of the minimum set keeps the previous representatives, which no k or snapshot time
 * describes, and the list is all the next epoch needs.
 *
 * Written by hand rather than with ethers' AbiCoder (test/election/representativeCodec.test.ts
 * holds the two byte-equal): every block verification hashes an election result, and the coder
 * was a quarter of the simulator's time. The tuple is static, so the layout is fixed: offset 0x20,
 * the length, then three words per representative. Bad addresses or votes throw, as the coder did.
 */
export function encodeRepresentatives(representatives: readonly Representative[]): Uint8Array {
  const out = new Uint8Array(WORD * (2 + 3 * representatives.length));
  out.set(uintBytes(WORD, WORD), 0);
  out.set(uintBytes(representatives.length, WORD), WORD);
  representatives.forEach((r, i) => {
    const at = WORD * (2 + 3 * i);
    out.set(fromHex(r.address, 20), at + 12);
    out.set(fromHex(r.signingKey, 20), at + WORD + 12);
    out.set(uintBytes(r.votes, WORD), at + 2 * WORD);
  });
  return out;
}

/** The inverse of encodeRepresentatives (addresses lowercased); throws for anything ABI cannot decode. */
export function decodeRepresentatives(bytes: Uint8Array): Representative[] {
  const [list] = AbiCoder.defaultAbiCoder().decode(TYPES, bytes) as unknown as [[string, string, bigint][]];
  return list.map(([address, signingKey, votes]) => ({
    address: address.toLowerCase() as Address,
    signingKey: signingKey.toLowerCase() as Address,
    votes,
  }));
}

/** The header's electionResultHash: keccak256 of encodeRepresentatives, the zero hash for "no election here". */
export function electionResultHash(representatives: readonly Representative[] | null): Hex {
  if (representatives === null) return ZERO_HASH;
  return keccak256Hex(encodeRepresentatives(representatives));
}
