/**
 * Deploys AuditorRegistry, CandidateRegistry and VoteRegistry and writes deployments/<network>.json.
 *
 *   npx hardhat run scripts/deploy.ts --network localhost          (parameters from the environment)
 *   npx hardhat deploy --network localhost --auditors 0xA,0xB --threshold 2   (the same, as a task)
 *
 * Environment: REPCHAIN_AUDITORS (comma-separated addresses), REPCHAIN_THRESHOLD, REPCHAIN_MIN_DEPOSIT (wei),
 * REPCHAIN_UNBONDING_PERIOD (seconds), REPCHAIN_REPRESENTATIVE_COUNT, REPCHAIN_OWNER (default: the deployer).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { getAddress } from "ethers";
import type { Signer } from "ethers";
import { AuditorRegistry__factory, CandidateRegistry__factory, VoteRegistry__factory } from "../typechain-types";
import type { AuditorRegistry, CandidateRegistry, VoteRegistry } from "../typechain-types";
import { parseDeployment } from "../node/types/deployment";
import type { Deployment } from "../node/types/deployment";

export interface GovernanceParams {
  /** The owner of the three registries (default: the deployer). */
  owner?: string;
  auditors: string[];
  threshold: bigint;
  minDeposit: bigint;
  /** Seconds between a removal and its refund. */
  unbondingPeriod: bigint;
  /** K, the number of representatives to elect. */
  representativeCount: bigint;
}

export const DEFAULT_PARAMS: GovernanceParams = {
  auditors: [],
  threshold: 1n,
  minDeposit: 10n ** 18n,
  unbondingPeriod: 7n * 24n * 3600n,
  representativeCount: 21n,
};

export interface DeployedGovernance {
  auditorRegistry: AuditorRegistry;
  candidateRegistry: CandidateRegistry;
  voteRegistry: VoteRegistry;
  deployment: Deployment;
}

/** Deploys the three registries in order, each waiting for its receipt; returns them and their deployment record. */
export async function deployGovernance(
  deployer: Signer,
  params: GovernanceParams,
  network: string,
): Promise<DeployedGovernance> {
  const owner = params.owner ?? (await deployer.getAddress());
  const auditorRegistry = await new AuditorRegistry__factory(deployer).deploy(owner, params.auditors, params.threshold);
  const first = await auditorRegistry.deploymentTransaction()!.wait();
  const candidateRegistry = await new CandidateRegistry__factory(deployer).deploy(
    owner,
    await auditorRegistry.getAddress(),
    params.minDeposit,
    params.unbondingPeriod,
    params.representativeCount,
  );
  await candidateRegistry.deploymentTransaction()!.wait();
  const voteRegistry = await new VoteRegistry__factory(deployer).deploy(owner, await candidateRegistry.getAddress());
  await voteRegistry.deploymentTransaction()!.wait();
  const { chainId } = await deployer.provider!.getNetwork();
  const deployment = parseDeployment({
    network,
    chainId: Number(chainId),
    auditorRegistry: getAddress(await auditorRegistry.getAddress()),
    candidateRegistry: getAddress(await candidateRegistry.getAddress()),
    voteRegistry: getAddress(await voteRegistry.getAddress()),
    // The follower starts at the first contract's block: every constructor event is at or after it.
    deploymentBlock: first!.blockNumber,
    deploymentBlockHash: first!.blockHash,
  });
  return { auditorRegistry, candidateRegistry, voteRegistry, deployment };
}

export function deploymentPath(network: string, root = process.cwd()): string {
  return join(root, "deployments", `${network}.json`);
}

export function writeDeployment(path: string, deployment: Deployment): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(deployment, null, 2) + "\n");
}

/** Reads GovernanceParams from REPCHAIN_* variables, falling back to DEFAULT_PARAMS. */
export function paramsFromEnv(env: NodeJS.ProcessEnv): GovernanceParams {
  const big = (name: string, fallback: bigint) => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    if (!/^\d+$/.test(raw)) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
    return BigInt(raw);
  };
  const auditors = (env.REPCHAIN_AUDITORS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => getAddress(s));
  return {
    owner: env.REPCHAIN_OWNER ? getAddress(env.REPCHAIN_OWNER) : undefined,
    auditors,
    threshold: big("REPCHAIN_THRESHOLD", DEFAULT_PARAMS.threshold),
    minDeposit: big("REPCHAIN_MIN_DEPOSIT", DEFAULT_PARAMS.minDeposit),
    unbondingPeriod: big("REPCHAIN_UNBONDING_PERIOD", DEFAULT_PARAMS.unbondingPeriod),
    representativeCount: big("REPCHAIN_REPRESENTATIVE_COUNT", DEFAULT_PARAMS.representativeCount),
  };
}

async function main(): Promise<void> {
  const hre = (await import("hardhat")).default;
  const [deployer] = await hre.ethers.getSigners();
  const network = hre.network.name;
  const { deployment } = await deployGovernance(deployer, paramsFromEnv(process.env), network);
  const path = deploymentPath(network, hre.config.paths.root);
  writeDeployment(path, deployment);
  console.log(`deployed to ${network} (chain ${deployment.chainId}) at block ${deployment.deploymentBlock}`);
  console.log(`  AuditorRegistry   ${deployment.auditorRegistry}`);
  console.log(`  CandidateRegistry ${deployment.candidateRegistry}`);
  console.log(`  VoteRegistry      ${deployment.voteRegistry}`);
  console.log(`wrote ${path}`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
