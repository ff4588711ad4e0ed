import { readFileSync } from "node:fs";
import { parseGenesis, type Genesis } from "../chain/genesis";
import { historyStartBlock, type Deployment } from "../types/deployment";
import type { Address } from "../types/primitives";
import { ConfigError } from "./errors";

/** The genesis file `repchain init` wrote; a bad one is a ConfigError naming `genesis`. */
export function readGenesis(path: string): Genesis {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new ConfigError("genesis", `cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    return parseGenesis(json);
  } catch (err) {
    throw new ConfigError("genesis", (err as Error).message);
  }
}

/** The genesis's `l1` for a deployment: its registries, voting token and the first block of its history. */
export function genesisL1(deployment: Deployment): Genesis["l1"] {
  return {
    auditorRegistry: deployment.auditorRegistry.toLowerCase() as Address,
    candidateRegistry: deployment.candidateRegistry.toLowerCase() as Address,
    voteRegistry: deployment.voteRegistry.toLowerCase() as Address,
    votingToken: deployment.votingToken.toLowerCase() as Address,
    deploymentBlock: historyStartBlock(deployment),
  };
}

/** The genesis must name the registries the deployment file names, or the chain follows the wrong L1. */
export function checkGenesisMatchesDeployment(genesis: Genesis, deployment: Deployment): void {
  const l1 = genesis.l1;
  const pairs: [string, string, string][] = [
    ["auditorRegistry", l1.auditorRegistry, deployment.auditorRegistry],
    ["candidateRegistry", l1.candidateRegistry, deployment.candidateRegistry],
    ["voteRegistry", l1.voteRegistry, deployment.voteRegistry],
    ["votingToken", l1.votingToken, deployment.votingToken],
    ["deploymentBlock", String(l1.deploymentBlock), String(historyStartBlock(deployment))],
  ];
  for (const [field, g, d] of pairs) {
    if (g.toLowerCase() !== d.toLowerCase()) throw new ConfigError(`genesis.l1.${field}`, `${g} ≠ deployment's ${d}`);
  }
  // CandidateRegistry slashes only evidence signed for its own L2 chain id (NODE_DIGEST.md).
  if (genesis.chainId !== BigInt(deployment.l2ChainId)) {
    throw new ConfigError("genesis.chainId", `${genesis.chainId} ≠ the registries' l2ChainId ${deployment.l2ChainId}`);
  }
}
