import { concatBytes, fromHex, keccak256Hex, ZERO_HASH } from "../chain/bytes";
import { signDigest, type KeyPair } from "../chain/signing";
import { voteDigest } from "../chain/voteDigest";
import type { Hex } from "../types/primitives";
import type { VoteMessage } from "./messages";

/**
 * TEST ONLY. The environment variable that makes a representative equivocate on purpose
 * (`REPCHAIN_TEST_EQUIVOCATE=1 repchain run …`), so that the evidence path, the jail and the L1
 * slashing can be shown on real processes. Never set it on a node whose deposit matters: it is
 * slashed.
 */
export const TEST_EQUIVOCATE_ENV = "REPCHAIN_TEST_EQUIVOCATE";

export function testEquivocationRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[TEST_EQUIVOCATE_ENV] === "1";
}

/**
 * The block hash of the conflicting vote: derived from the honest vote's, never a real block and
 * never nil, so it counts for nothing at the peers (not even towards a nil polka) while its
 * signature proves the double vote.
 */
export function conflictingBlockHash(blockHash: Hex | null): Hex {
  const seed = new TextEncoder().encode("repchain/test-equivocation");
  return keccak256Hex(concatBytes([seed, fromHex(blockHash ?? ZERO_HASH, 32)]));
}

/**
 * TEST ONLY: a second vote at the very (height, round, kind) of `vote`, for another block, signed
 * with the raw key — it bypasses the SignGuard, which exists to make exactly this impossible.
 */
export function conflictingVote(chainId: bigint, key: KeyPair, vote: VoteMessage): VoteMessage {
  const blockHash = conflictingBlockHash(vote.blockHash);
  const signature = signDigest(voteDigest(vote.kind, chainId, vote.height, vote.round, blockHash), key.privateKey);
  return { ...vote, blockHash, signature };
}
