import { writeFileSync } from "node:fs";
import { DEFAULT_GENESIS_LIMITS, genesisToJson, validateGenesis, type Genesis } from "../chain/genesis";
import { MAX_TARGET } from "../chain/pow";
import { genesisL1 } from "../config/genesisFile";
import type { Deployment } from "../types/deployment";
import type { Address } from "../types/primitives";

/**
 * A valid genesis for tests, benches and the simulator: chain 1337, fixed registry addresses,
 * epochs of 3 blocks of 1 s, an easy PoW target, the default validity limits and L1 blocks confirmed
 * at once (tests' L1s mine only on transactions); `overrides` change any of it.
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
    l1Confirmations: 0,
    ...overrides,
  });
}

/**
 * A test genesis over a real deployment (its registries, token, history start and l2ChainId), as
 * `repchain init` would write it, so that `run`, `follow` and `elect` accept it with that deployment.
 */
export function deploymentGenesis(
  deployment: Deployment,
  representatives: readonly Address[],
  overrides: Partial<Genesis> = {},
): Genesis {
  return testGenesis(representatives, {
    chainId: BigInt(deployment.l2ChainId),
    l1: genesisL1(deployment),
    ...overrides,
  });
}

/** Writes `genesis` in its file form to `path` and returns the path. */
export function writeGenesisFile(path: string, genesis: Genesis): string {
  writeFileSync(path, `${JSON.stringify(genesisToJson(genesis), null, 2)}\n`);
  return path;
}

/** The genesis file of a follower test: four placeholder representatives, `l1Confirmations` as given. */
export function writeFollowerGenesis(path: string, deployment: Deployment, l1Confirmations: number): string {
  const placeholders = [1, 2, 3, 4].map((i) => `0x${String(i).repeat(40)}` as Address);
  return writeGenesisFile(path, deploymentGenesis(deployment, placeholders, { l1Confirmations }));
}
