import type { Hex } from "../types/primitives";
import { concatBytes, fromHex, uintBytes } from "./bytes";
import { SignDomain, signingDigest } from "./signing";

export type VoteKind = "prevote" | "precommit";

/** What a prevote or precommit signs: uint64 height ‖ uint32 round ‖ bytes32 block hash (zero = nil). */
export function voteDigest(kind: VoteKind, chainId: bigint, height: number, round: number, blockHash: Hex): Uint8Array {
  const domain = kind === "prevote" ? SignDomain.PREVOTE : SignDomain.PRECOMMIT;
  return signingDigest(
    domain,
    chainId,
    concatBytes([uintBytes(height, 8), uintBytes(round, 4), fromHex(blockHash, 32)]),
  );
}

/** What a proposal signs: height ‖ round ‖ validRound + 1 (uint32, so −1 encodes as 0) ‖ block hash. */
export function proposalDigest(chainId: bigint, height: number, round: number, validRound: number, blockHash: Hex) {
  return signingDigest(
    SignDomain.PROPOSAL,
    chainId,
    concatBytes([uintBytes(height, 8), uintBytes(round, 4), uintBytes(validRound + 1, 4), fromHex(blockHash, 32)]),
  );
}

/** What a proposer signs for the block itself: its header hash. */
export function blockDigest(chainId: bigint, blockHash: Hex): Uint8Array {
  return signingDigest(SignDomain.BLOCK, chainId, fromHex(blockHash, 32));
}
