import hre from "hardhat";
import { ethers } from "ethers";
import type { AuditorRegistry, CandidateRegistry, VoteRegistry } from "../../typechain-types";
import type { Deployment } from "../types/deployment";
import { auditorSignature, readDomain, signCredential } from "../types/eip712";

export const MIN_DEPOSIT = 10n ** 15n;
export const UNBONDING_SECONDS = 60n;

/** The three registries on the in-process Hardhat network, and their deployment record. */
export interface Registries {
  readonly auditors: AuditorRegistry;
  readonly candidates: CandidateRegistry;
  readonly votes: VoteRegistry;
  readonly deployment: Deployment;
  /** Signs credentials (threshold 1). */
  readonly auditor: ethers.Wallet;
}

/** Deploys the registries as scripts/deploy.ts does: one auditor, threshold 1, K = `k`. */
export async function deployRegistries(k = 3n): Promise<Registries> {
  const [owner] = await hre.ethers.getSigners();
  const auditor = new ethers.Wallet(ethers.id("repchain test auditor"));
  const auditorFactory = await hre.ethers.getContractFactory("AuditorRegistry");
  const auditors = (await auditorFactory.deploy(owner.address, [auditor.address], 1n)) as unknown as AuditorRegistry;
  const receipt = await auditors.deploymentTransaction()!.wait();
  const candidates = (await (
    await hre.ethers.getContractFactory("CandidateRegistry")
  ).deploy(
    owner.address,
    await auditors.getAddress(),
    MIN_DEPOSIT,
    UNBONDING_SECONDS,
    k,
  )) as unknown as CandidateRegistry;
  const votes = (await (
    await hre.ethers.getContractFactory("VoteRegistry")
  ).deploy(owner.address, await candidates.getAddress())) as unknown as VoteRegistry;
  await votes.waitForDeployment();
  const { chainId } = await hre.ethers.provider.getNetwork();
  const deployment: Deployment = {
    network: hre.network.name,
    chainId: Number(chainId),
    auditorRegistry: await auditors.getAddress(),
    candidateRegistry: await candidates.getAddress(),
    voteRegistry: await votes.getAddress(),
    deploymentBlock: receipt!.blockNumber,
    deploymentBlockHash: receipt!.blockHash,
  };
  return { auditors, candidates, votes, deployment, auditor };
}

/** Registers `addresses` as candidates in one transaction (one credential each, valid for a day). */
export async function registerCandidates(r: Registries, addresses: string[]): Promise<void> {
  const domain = await readDomain(hre.ethers.provider, await r.candidates.getAddress());
  const block = await hre.ethers.provider.getBlock("latest");
  const now = BigInt(block!.timestamp);
  const apps = await Promise.all(
    addresses.map(async (candidate) => {
      const nonce = await r.candidates.registrationNonce(candidate);
      const credential = {
        candidate,
        qualificationHash: ethers.id(`qualification ${candidate}`),
        approve: true,
        issuedAt: now - 10n,
        expiresAt: now + 86_400n,
        nonce,
      };
      const signature = await signCredential(r.auditor, domain, credential);
      return {
        candidate,
        qualificationHash: credential.qualificationHash,
        signatures: [auditorSignature(credential, signature)],
      };
    }),
  );
  await (await r.candidates.registerCandidates(apps, { value: MIN_DEPOSIT * BigInt(apps.length) })).wait();
}

/** `count` deterministic candidate addresses. */
export function candidateAddresses(count: number, salt = "candidate"): string[] {
  return Array.from({ length: count }, (_, i) => ethers.getAddress(ethers.dataSlice(ethers.id(`${salt} ${i}`), 12)));
}

/**
 * A large event stream from few transactions: each voter approves every candidate, then each
 * round revokes and re-approves them all (2 × candidates events per transaction).
 */
export async function voteStorm(
  r: Registries,
  voters: { address: string }[],
  candidates: string[],
  rounds: number,
): Promise<void> {
  if (candidates.length > 30) await (await r.votes.setMaxVotesPerVoter(candidates.length)).wait();
  for (let round = 0; round <= rounds; round++) {
    for (const voter of voters) {
      const signer = await hre.ethers.getSigner(voter.address);
      const tx = await r.votes.connect(signer).vote(candidates, round === 0 ? [] : candidates);
      await tx.wait();
    }
  }
}
