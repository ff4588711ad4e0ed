import { AbiCoder, getBytes, keccak256, ZeroHash } from "ethers";
import type { Address, Hex } from "../types/primitives";

/** A representative as elected: its candidate (node) address and the votes it had at the snapshot. */
export interface Representative {
  readonly address: Address;
  readonly votes: bigint;
}

const TYPES = ["(address,uint256)[]"];

/**
 * The canonical bytes of an election result as L2 blocks carry it: abi.encode((address,uint256)[]),
 * the representatives in election order with their votes. Only the list: an epoch whose election
 * fell short of the minimum set keeps the previous representatives, which no k or snapshot time
 * describes, and the list is all the next epoch needs.
 */
export function encodeRepresentatives(representatives: readonly Representative[]): Uint8Array {
  return getBytes(AbiCoder.defaultAbiCoder().encode(TYPES, [representatives.map((r) => [r.address, r.votes])]));
}

/** The inverse of encodeRepresentatives (addresses lowercased); throws for anything ABI cannot decode. */
export function decodeRepresentatives(bytes: Uint8Array): Representative[] {
  const [list] = AbiCoder.defaultAbiCoder().decode(TYPES, bytes) as unknown as [[string, bigint][]];
  return list.map(([address, votes]) => ({ address: address.toLowerCase() as Address, votes }));
}

/** The header's electionResultHash: keccak256 of encodeRepresentatives, the zero hash for "no election here". */
export function electionResultHash(representatives: readonly Representative[] | null): Hex {
  if (representatives === null) return ZeroHash as Hex;
  return keccak256(encodeRepresentatives(representatives)) as Hex;
}
