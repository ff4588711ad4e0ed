import { AbiCoder, getBytes, keccak256 } from "ethers";
import type { Hex } from "../types/primitives";
import type { ElectionResult } from "./elect";

export const ELECTION_RESULT_ENCODING_VERSION = 1;
const TYPES = ["uint8", "uint256", "uint64", "(address,uint256)[]"];

/**
 * The canonical bytes of an election result, as L2 blocks carry it:
 * abi.encode(uint8 version = 1, uint256 k, uint64 snapshotTime, (address,uint256)[] representatives).
 * eligibleCount and shortfall are context, not part of the outcome, and are left out.
 */
export function encodeElectionResult(result: ElectionResult): Uint8Array {
  const encoded = AbiCoder.defaultAbiCoder().encode(TYPES, [
    ELECTION_RESULT_ENCODING_VERSION,
    result.k,
    result.snapshotTime,
    result.representatives.map((r) => [r.address, r.votes]),
  ]);
  return getBytes(encoded);
}

/** keccak256 of encodeElectionResult(result). */
export function electionResultHash(result: ElectionResult): Hex {
  return keccak256(encodeElectionResult(result)) as Hex;
}
