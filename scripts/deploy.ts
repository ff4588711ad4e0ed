/**
 * Deploys AuditorRegistry, CandidateRegistry and VoteRegistry (and, without REPCHAIN_VOTING_TOKEN, the
 * project's VotingToken) and writes deployments/<network>.json.
 *
 *   npx hardhat run scripts/deploy.ts --network localhost          (parameters from the environment)
 *   npx hardhat deploy --network localhost --auditors 0xA,0xB --threshold 2   (the same, as a task)
 *
 * Environment: REPCHAIN_AUDITORS (comma-separated addresses), REPCHAIN_THRESHOLD, REPCHAIN_MIN_DEPOSIT (wei),
 * REPCHAIN_UNBONDING_PERIOD (seconds), REPCHAIN_MIN_REPRESENTATIVES, REPCHAIN_MAX_REPRESENTATIVES,
 * REPCHAIN_CANDIDATES_PER_SEAT (the K rule), REPCHAIN_SLASH_FRACTION (basis points), REPCHAIN_L2_CHAIN_ID,
 * REPCHAIN_TREASURY (default: none, slashed amounts are burned), REPCHAIN_VOTING_TOKEN (an existing IVotes
 * token; default: deploy VotingToken), REPCHAIN_OWNER (default: the deployer).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ZeroAddress, getAddress } from "ethers";
import type { Signer } from "ethers";
import {
  AuditorRegistry__factory,
  CandidateRegistry__factory,
  VoteRegistry__factory,
  VotingToken__factory,
} from "../typechain-types";
import type { AuditorRegistry, CandidateRegistry, VoteRegistry, VotingToken } from "../typechain-types";
import { parseDeployment } from "../node/types/deployment";
import { creationBlock } from "./creationBlock";
import type { Deployment } from "../node/types/deployment";

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

export const DEFAULT_PARAMS = {
  auditors: [],
  threshold: 1n,
  minDeposit: 10n ** 18n,
  unbondingPeriod: 7n * 24n * 3600n,
  representativeRule: { minRepresentatives: 21n, maxRepresentatives: 21n, candidatesPerSeat: 0n },
  slashFraction: 500n,
  l2ChainId: 1337n,
  treasury: ZeroAddress,
} satisfies GovernanceParams;

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
      representativeRule: params.representativeRule ?? DEFAULT_PARAMS.representativeRule,
      slashFraction: params.slashFraction ?? DEFAULT_PARAMS.slashFraction,
      l2ChainId: params.l2ChainId ?? DEFAULT_PARAMS.l2ChainId,
      treasury: params.treasury ?? DEFAULT_PARAMS.treasury,
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
    l2ChainId: Number(params.l2ChainId ?? DEFAULT_PARAMS.l2ChainId),
  });
  return { auditorRegistry, candidateRegistry, voteRegistry, votingToken, ownVotingToken, deployment };
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
    representativeRule: {
      minRepresentatives: big("REPCHAIN_MIN_REPRESENTATIVES", DEFAULT_PARAMS.representativeRule.minRepresentatives),
      maxRepresentatives: big("REPCHAIN_MAX_REPRESENTATIVES", DEFAULT_PARAMS.representativeRule.maxRepresentatives),
      candidatesPerSeat: big("REPCHAIN_CANDIDATES_PER_SEAT", DEFAULT_PARAMS.representativeRule.candidatesPerSeat),
    },
    slashFraction: big("REPCHAIN_SLASH_FRACTION", DEFAULT_PARAMS.slashFraction),
    l2ChainId: big("REPCHAIN_L2_CHAIN_ID", DEFAULT_PARAMS.l2ChainId),
    treasury: env.REPCHAIN_TREASURY ? getAddress(env.REPCHAIN_TREASURY) : DEFAULT_PARAMS.treasury,
    votingToken: env.REPCHAIN_VOTING_TOKEN ? getAddress(env.REPCHAIN_VOTING_TOKEN) : undefined,
  };
}

async function main(): Promise<void> {
  const hre = (await import("hardhat")).default;
  const [deployer] = await hre.ethers.getSigners();
  const network = hre.network.name;
  const { deployment, voteRegistry } = await deployGovernance(deployer, paramsFromEnv(process.env), network);
  const path = deploymentPath(network, hre.config.paths.root);
  writeDeployment(path, deployment);
  console.log(`deployed to ${network} (chain ${deployment.chainId}) at block ${deployment.deploymentBlock}`);
  console.log(`  AuditorRegistry   ${deployment.auditorRegistry}`);
  console.log(`  CandidateRegistry ${deployment.candidateRegistry}`);
  console.log(`  VoteRegistry      ${deployment.voteRegistry}`);
  console.log(`  voting token      ${await voteRegistry.votingToken()}`);
  console.log(`wrote ${path}`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
