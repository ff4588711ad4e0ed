import { keccak256Hex } from "../chain/bytes";
import { evidenceOf, type Evidence, type EvidenceHalf } from "../chain/evidence";
import { signDigest, type KeyPair } from "../chain/signing";
import { proposalDigest, voteDigest, type VoteKind } from "../chain/voteDigest";
import type { Hex } from "../types/primitives";
import type { ChainConfig, ChainState } from "../chain/chainState";

/** What test evidence is made for: a chain's id and its height (a Fixture, or a running chain's). */
export interface EvidenceTarget {
  readonly config: { readonly genesis: Pick<ChainConfig["genesis"], "chainId"> };
  readonly state: Pick<ChainState, "height">;
}

/** Two block hashes for the two halves of test evidence. */
export const HASH_A = keccak256Hex(Uint8Array.of(1));
export const HASH_B = keccak256Hex(Uint8Array.of(2));

/** One vote of `key`, as an evidence half (signed for `chainId`, the fixture's by default). */
export function voteHalf(
  f: EvidenceTarget,
  key: KeyPair,
  kind: VoteKind,
  height: number,
  round: number,
  blockHash: Hex,
  chainId = f.config.genesis.chainId,
): EvidenceHalf {
  const signature = signDigest(voteDigest(kind, chainId, height, round, blockHash), key.privateKey);
  return { blockHash, validRound: -1, signature };
}

/** Real equivocation evidence: `key` votes HASH_A and `hashB` at one (height, round, kind). */
export function doubleVote(
  f: EvidenceTarget,
  key: KeyPair,
  options: { kind?: VoteKind; height?: number; round?: number; hashB?: Hex; chainId?: bigint } = {},
): Evidence {
  const kind = options.kind ?? "prevote";
  const height = options.height ?? f.state.height + 1;
  const round = options.round ?? 0;
  return evidenceOf(
    kind,
    key.address,
    height,
    round,
    voteHalf(f, key, kind, height, round, HASH_A, options.chainId),
    voteHalf(f, key, kind, height, round, options.hashB ?? HASH_B, options.chainId),
  );
}

/** Real conflicting-proposal evidence: `key` proposes HASH_B fresh and HASH_A with validRound 0. */
export function doubleProposal(f: EvidenceTarget, key: KeyPair, height = f.state.height + 1, round = 0): Evidence {
  const half = (blockHash: Hex, validRound: number): EvidenceHalf => ({
    blockHash,
    validRound,
    signature: signDigest(
      proposalDigest(f.config.genesis.chainId, height, round, validRound, blockHash),
      key.privateKey,
    ),
  });
  return evidenceOf("proposal", key.address, height, round, half(HASH_B, -1), half(HASH_A, 0));
}
