import { AbiCoder, getBytes, keccak256, ZeroHash } from "ethers";
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

/**
 * The canonical bytes of an election result as L2 blocks carry it:
 * abi.encode((address candidate, address signingKey, uint256 votes)[]), the representatives in
 * election order with their signing keys and votes. Only the list: an epoch whose election
 * fell short of the minimum set keeps the previous representatives, which no k or snapshot time
 * describes, and the list is all the next epoch needs.
 */
export function encodeRepresentatives(representatives: readonly Representative[]): Uint8Array {
  return getBytes(
    AbiCoder.defaultAbiCoder().encode(TYPES, [representatives.map((r) => [r.address, r.signingKey, r.votes])]),
  );
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
  if (representatives === null) return ZeroHash as Hex;
  return keccak256(encodeRepresentatives(representatives)) as Hex;
}
