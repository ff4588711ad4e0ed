/**
 * Deploying the three registries. Operators use the Ignition path, which writes
 * deployments/<network>.json (the file nodes and tools read):
 *
 *   npx hardhat deploy --network localhost --auditors 0xA,0xB --threshold 2 [--force]
 *   REPCHAIN_AUDITORS=0xA,0xB REPCHAIN_THRESHOLD=2 npx hardhat run scripts/deploy.ts --network localhost
 *
 * Parameters (ignition/parameters.ts, docs/deploy.md): flags or REPCHAIN_* variables named after the
 * Ignition parameters, units in the names (`--min-deposit-wei`, REPCHAIN_MIN_DEPOSIT_WEI). An existing
 * deployment file is never overwritten without `--force` (REPCHAIN_FORCE=1 for `hardhat run`); the
 * folder is REPCHAIN_DEPLOYMENTS_DIR when set. `deployGovernance` deploys from the typechain factories
 * without Ignition: the test fixtures, the devnet and the gas benchmark use it.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { getAddress } from "ethers";
import type { Provider, Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { AuditorRegistry__factory, CandidateRegistry__factory, VoteRegistry__factory } from "../typechain-types";
import type { AuditorRegistry, CandidateRegistry, VoteRegistry } from "../typechain-types";
import { parametersFromEnvironment, type RegistryParameterValues } from "../ignition/parameters";
import { parseDeployment } from "../node/types/deployment";
import type { Deployment } from "../node/types/deployment";
import { deploymentFile } from "./tasks/common";

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

export function writeDeployment(path: string, deployment: Deployment): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(deployment, null, 2) + "\n");
}

/** Thrown before anything is deployed when the deployment file exists and `--force` was not given. */
export class DeploymentExistsError extends Error {
  constructor(readonly path: string) {
    super(
      `${path} exists (the registries of an earlier deployment): pass --force (REPCHAIN_FORCE=1 with ` +
        "`hardhat run`) to deploy new registries and overwrite it",
    );
    this.name = "DeploymentExistsError";
  }
}

/** Ignition's journal says the registries exist, but the chain has no code there (a restarted chain). */
export class StaleJournalError extends Error {
  constructor(readonly address: string) {
    super(
      `no contract at ${address}: Ignition's journal names registries this chain does not have ` +
        "(a restarted chain?); remove the journal folder or pass --force",
    );
    this.name = "StaleJournalError";
  }
}

/**
 * Deploys the Ignition module with `parameters` and writes `file`. Ignition's journal (what lets an
 * interrupted deployment resume) goes beside the file, in `<folder>/ignition/deployments/repchain-<network>`;
 * with `force` a new journal, so new registries are deployed.
 */
export async function deployWithIgnition(
  hre: HardhatRuntimeEnvironment,
  parameters: RegistryParameterValues,
  options: { file: string; force: boolean },
): Promise<Deployment> {
  if (existsSync(options.file) && !options.force) throw new DeploymentExistsError(options.file);
  const network = hre.network.name;
  const provider = hre.ethers.provider;
  const before = await provider.getBlockNumber();
  const journals = hre.config.paths.ignition;
  hre.config.paths.ignition = join(dirname(options.file), "ignition");
  // Loaded here: the devnet imports this file for deployGovernance and needs no Ignition.
  const { default: registriesModule } = await import("../ignition/modules/Registries");
  let deployed;
  try {
    deployed = await hre.ignition.deploy(registriesModule, {
      parameters: { Registries: parameters },
      deploymentId: options.force ? `repchain-${network}-${Date.now()}` : `repchain-${network}`,
      displayUi: false,
    });
  } finally {
    hre.config.paths.ignition = journals;
  }
  const address = async (c: { getAddress(): Promise<string> }) => getAddress(await c.getAddress());
  const auditorRegistry = await address(deployed.auditorRegistry);
  const block = await firstBlockWithCode(provider, auditorRegistry, before);
  const deployment = parseDeployment({
    network,
    chainId: Number((await provider.getNetwork()).chainId),
    auditorRegistry,
    candidateRegistry: await address(deployed.candidateRegistry),
    voteRegistry: await address(deployed.voteRegistry),
    deploymentBlock: block.number,
    deploymentBlockHash: block.hash,
  });
  writeDeployment(options.file, deployment);
  return deployment;
}

/**
 * The block that created the contract at `address` (the first with its code): the follower reads
 * events from there. Ignition may have deployed it in an earlier, resumed run, so the search
 * covers earlier blocks when the code was already there at `after`.
 */
async function firstBlockWithCode(
  provider: Provider,
  address: string,
  after: number,
): Promise<{ number: number; hash: string }> {
  const hasCode = async (block: number) => (await provider.getCode(address, block)) !== "0x";
  let high = await provider.getBlockNumber();
  if (!(await hasCode(high))) {
    throw new StaleJournalError(address);
  }
  let low = (await hasCode(after)) ? 0 : after + 1;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (await hasCode(middle)) high = middle;
    else low = middle + 1;
  }
  return { number: low, hash: (await provider.getBlock(low))!.hash! };
}

async function main(): Promise<void> {
  const hre = (await import("hardhat")).default;
  const file = deploymentFile(hre);
  const deployment = await deployWithIgnition(hre, parametersFromEnvironment(process.env), {
    file,
    force: process.env.REPCHAIN_FORCE === "1",
  });
  console.log(`deployed to ${deployment.network} (chain ${deployment.chainId}) at block ${deployment.deploymentBlock}`);
  console.log(`  AuditorRegistry   ${deployment.auditorRegistry}`);
  console.log(`  CandidateRegistry ${deployment.candidateRegistry}`);
  console.log(`  VoteRegistry      ${deployment.voteRegistry}`);
  console.log(`wrote ${file}`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
