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
import { ZeroAddress, getAddress } from "ethers";
import type { Provider, Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import {
  AuditorRegistry__factory,
  CandidateRegistry__factory,
  VoteRegistry__factory,
  VotingToken__factory,
} from "../typechain-types";
import type { AuditorRegistry, CandidateRegistry, VoteRegistry, VotingToken } from "../typechain-types";
import { creationBlock } from "./creationBlock";
import { parametersFromEnvironment, REGISTRY_PARAMETERS, type RegistryParameterValues } from "../ignition/parameters";
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
  /** The K rule: K = min(max, max(min, ceil(eligible / candidatesPerSeat))); candidatesPerSeat 0 = max. */
  representativeRule?: RepresentativeRule;
  /** Basis points of the deposit a slashing takes (default 500 = 5%). */
  slashFraction?: bigint;
  /** The L2 chain id the registry accepts equivocation evidence for (= the L2 genesis chainId). */
  l2ChainId?: bigint;
  /** Receives slashed amounts minus the submitter's 10%; default address(0): burned. */
  treasury?: string;
  /** An existing ERC-5805 (IVotes) token; without one the project's VotingToken is deployed. */
  votingToken?: string;
}

export interface RepresentativeRule {
  minRepresentatives: bigint;
  maxRepresentatives: bigint;
  candidatesPerSeat: bigint;
}

/** deployGovernance's defaults for what GovernanceParams leaves out (the Ignition parameters' defaults). */
export const GOVERNANCE_DEFAULTS = {
  representativeRule: { minRepresentatives: 21n, maxRepresentatives: 21n, candidatesPerSeat: 0n },
  slashFraction: 500n,
  l2ChainId: 1337n,
  treasury: ZeroAddress,
} as const;

export interface DeployedGovernance {
  auditorRegistry: AuditorRegistry;
  candidateRegistry: CandidateRegistry;
  voteRegistry: VoteRegistry;
  /** The IVotes token's address (given, or the VotingToken deployed here). */
  votingToken: string;
  /** The VotingToken deployed here (its owner mints); undefined when an existing token was given. */
  ownVotingToken?: VotingToken;
  deployment: Deployment;
}

/** Deploys the three registries in order, each waiting for its receipt; returns them and their deployment record. */
export async function deployGovernance(
  deployer: Signer,
  params: GovernanceParams,
  network: string,
): Promise<DeployedGovernance> {
  const owner = params.owner ?? (await deployer.getAddress());
  // An existing token's history starts where it was created; checked before anything is deployed.
  const existingTokenBlock =
    params.votingToken === undefined ? 0 : await creationBlock(deployer.provider!, params.votingToken);
  const auditorRegistry = await new AuditorRegistry__factory(deployer).deploy(owner, params.auditors, params.threshold);
  const first = await auditorRegistry.deploymentTransaction()!.wait();
  const candidateRegistry = await new CandidateRegistry__factory(deployer).deploy(
    owner,
    await auditorRegistry.getAddress(),
    {
      minDeposit: params.minDeposit,
      unbondingPeriod: params.unbondingPeriod,
      representativeRule: params.representativeRule ?? GOVERNANCE_DEFAULTS.representativeRule,
      slashFraction: params.slashFraction ?? GOVERNANCE_DEFAULTS.slashFraction,
      l2ChainId: params.l2ChainId ?? GOVERNANCE_DEFAULTS.l2ChainId,
      treasury: params.treasury ?? GOVERNANCE_DEFAULTS.treasury,
    },
  );
  await candidateRegistry.deploymentTransaction()!.wait();
  let ownVotingToken: VotingToken | undefined;
  let votingTokenDeploymentBlock = existingTokenBlock;
  if (params.votingToken === undefined) {
    ownVotingToken = await new VotingToken__factory(deployer).deploy("Repchain Vote", "RVOTE", owner);
    votingTokenDeploymentBlock = (await ownVotingToken.deploymentTransaction()!.wait())!.blockNumber;
  }
  const votingToken = params.votingToken ?? (await ownVotingToken!.getAddress());
  const voteRegistry = await new VoteRegistry__factory(deployer).deploy(
    owner,
    await candidateRegistry.getAddress(),
    votingToken,
  );
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
    votingToken: getAddress(votingToken),
    votingTokenDeploymentBlock,
    l2ChainId: Number(params.l2ChainId ?? GOVERNANCE_DEFAULTS.l2ChainId),
  });
  return { auditorRegistry, candidateRegistry, voteRegistry, votingToken, ownVotingToken, deployment };
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
  const { registriesModule } = await import("../ignition/modules/Registries");
  let deployed;
  try {
    // Without a votingToken parameter the module deploys the project's VotingToken too.
    deployed = await hre.ignition.deploy(registriesModule(parameters.votingToken !== undefined), {
      parameters: { Registries: parameters },
      deploymentId: options.force ? `repchain-${network}-${Date.now()}` : `repchain-${network}`,
      displayUi: false,
    });
  } finally {
    hre.config.paths.ignition = journals;
  }
  const address = async (c: { getAddress(): Promise<string> }) => getAddress(await c.getAddress());
  const auditorRegistry = await address(deployed.auditorRegistry);
  const votingToken = await address(deployed.votingToken);
  const block = await provider.getBlock(await createdAt(provider, auditorRegistry, before));
  const deployment = parseDeployment({
    network,
    chainId: Number((await provider.getNetwork()).chainId),
    auditorRegistry,
    candidateRegistry: await address(deployed.candidateRegistry),
    voteRegistry: await address(deployed.voteRegistry),
    deploymentBlock: block!.number,
    deploymentBlockHash: block!.hash,
    votingToken,
    votingTokenDeploymentBlock: await createdAt(provider, votingToken, parameters.votingToken ? 0 : before),
    l2ChainId: Number(parameters.l2ChainId ?? REGISTRY_PARAMETERS.l2ChainId.default),
  });
  writeDeployment(options.file, deployment);
  return deployment;
}

/** creationBlock, saying what a missing contract most likely means after an Ignition run. */
async function createdAt(provider: Provider, address: string, after: number): Promise<number> {
  try {
    return await creationBlock(provider, address, after);
  } catch {
    throw new StaleJournalError(address);
  }
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
  console.log(`  voting token      ${deployment.votingToken} (from block ${deployment.votingTokenDeploymentBlock})`);
  console.log(`  L2 chain id       ${deployment.l2ChainId}`);
  console.log(`wrote ${file}`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
