import { DEFAULT_GENESIS_LIMITS, validateGenesis, type Genesis } from "../chain/genesis";
import { MAX_TARGET } from "../chain/pow";
import type { Address } from "../types/primitives";

/**
 * A valid genesis for tests, benches and the simulator: chain 1337, fixed registry addresses,
 * epochs of 3 blocks of 1 s, an easy PoW target and the default validity limits; `overrides` change
 * any of it.
 */
export function testGenesis(representatives: readonly Address[], overrides: Partial<Genesis> = {}): Genesis {
  return validateGenesis({
    chainId: 1337n,
    l1: {
      auditorRegistry: `0x${"a1".repeat(20)}` as Address,
      candidateRegistry: `0x${"c1".repeat(20)}` as Address,
      voteRegistry: `0x${"d1".repeat(20)}` as Address,
      votingToken: `0x${"e1".repeat(20)}` as Address,
      deploymentBlock: 1,
    },
    representatives: [...representatives],
    epochLength: 3,
    targetBlockTimeMs: 1000,
    initialPowTarget: MAX_TARGET >> 4n,
    timestamp: 1_000_000,
    ...DEFAULT_GENESIS_LIMITS,
    ...overrides,
  });
}
