import hre from "hardhat";
import { ethers, type Provider, type Signer } from "ethers";
import {
  AuditorRegistry__factory,
  CandidateRegistry__factory,
  VoteRegistry__factory,
  VotingToken__factory,
  type AuditorRegistry,
  type CandidateRegistry,
  type VoteRegistry,
  type VotingToken,
} from "../../typechain-types";
import { parseDeployment, type Deployment } from "../types/deployment";
import { auditorSignature, readDomain, signCandidateConsent, signCredential, type Credential } from "../types/eip712";

export const MIN_DEPOSIT = 10n ** 15n;
export const UNBONDING_SECONDS = 60n;
export const L2_CHAIN_ID = 4242n;

/** The three registries and the voting token on the in-process Hardhat network, and their deployment record. */
export interface Registries {
  readonly auditors: AuditorRegistry;
  readonly candidates: CandidateRegistry;
  readonly votes: VoteRegistry;
  /** The project's VotingToken, owned (and minted) by Hardhat's first account. */
  readonly token: VotingToken;
  readonly deployment: Deployment;
  /** Signs credentials (threshold 1). */
  readonly auditor: ethers.Wallet;
}

/**
 * Deploys as scripts/deploy.ts does (one auditor, threshold 1, K fixed at `k`, the project's own
 * voting token, L2 chain id L2_CHAIN_ID), straight from the typechain factories. By default on the
 * in-process Hardhat network from its first account; `owner` deploys elsewhere (an Anvil account), and
 * the other helpers below then act through the owner's provider.
 */
export async function deployRegistries(k = 3n, deployer?: Signer, network = hre.network.name): Promise<Registries> {
  const owner = deployer ?? (await hre.ethers.getSigners())[0];
  const ownerAddress = await owner.getAddress();
  const auditor = new ethers.Wallet(ethers.id("repchain test auditor"));
  const auditors = await new AuditorRegistry__factory(owner).deploy(ownerAddress, [auditor.address], 1n);
  const receipt = await auditors.deploymentTransaction()!.wait();
  const candidates = await new CandidateRegistry__factory(owner).deploy(ownerAddress, await auditors.getAddress(), {
    minDeposit: MIN_DEPOSIT,
    unbondingPeriod: UNBONDING_SECONDS,
    representativeRule: { minRepresentatives: k, maxRepresentatives: k, candidatesPerSeat: 0n },
    slashFraction: 500n,
    l2ChainId: L2_CHAIN_ID,
    treasury: ethers.ZeroAddress,
  });
  await candidates.waitForDeployment();
  const token = await new VotingToken__factory(owner).deploy("Repchain Vote", "RVOTE", ownerAddress);
  const tokenReceipt = await token.deploymentTransaction()!.wait();
  const votes = await new VoteRegistry__factory(owner).deploy(
    ownerAddress,
    await candidates.getAddress(),
    await token.getAddress(),
  );
  await votes.waitForDeployment();
  const { chainId } = await owner.provider!.getNetwork();
  const deployment = parseDeployment({
    network,
    chainId: Number(chainId),
    auditorRegistry: await auditors.getAddress(),
    candidateRegistry: await candidates.getAddress(),
    voteRegistry: await votes.getAddress(),
    deploymentBlock: receipt!.blockNumber,
    deploymentBlockHash: receipt!.blockHash,
    votingToken: await token.getAddress(),
    votingTokenDeploymentBlock: tokenReceipt!.blockNumber,
    l2ChainId: Number(L2_CHAIN_ID),
  });
  return { auditors, candidates, votes, token, deployment, auditor };
}

/** The chain the registries were deployed on (their owner's provider): Hardhat in-process, or an Anvil. */
function providerOf(r: Pick<Registries, "candidates">): Provider & { getSigner(address: string): Promise<Signer> } {
  return (r.candidates.runner as Signer).provider as Provider & { getSigner(address: string): Promise<Signer> };
}

/** An unlocked account of that chain (Hardhat's and Anvil's dev accounts both are). */
export function accountOf(r: Pick<Registries, "candidates">, address: string): Promise<Signer> {
  return providerOf(r).getSigner(address);
}

/** Mints `amount` token units to each voter and has it delegate to itself, so its approvals weigh `amount`. */
export async function givePower(r: Registries, voters: readonly { address: string }[], amount = 1n): Promise<void> {
  for (const voter of voters) {
    await (await r.token.mint(voter.address, amount)).wait();
    const signer = await accountOf(r, voter.address);
    await (await r.token.connect(signer).delegate(voter.address)).wait();
  }
}

const candidateKeys = new Map<string, ethers.Wallet>();

/** `count` deterministic candidate keys (they sign their own consent to be registered). */
export function candidateWallets(count: number, salt = "candidate"): ethers.Wallet[] {
  return Array.from({ length: count }, (_, i) => {
    const wallet = new ethers.Wallet(ethers.id(`${salt} ${i}`));
    candidateKeys.set(wallet.address, wallet);
    return wallet;
  });
}

/** `count` deterministic candidate addresses (keys from candidateWallets). */
export function candidateAddresses(count: number, salt = "candidate"): string[] {
  return candidateWallets(count, salt).map((w) => w.address);
}

function keyOf(candidate: string): ethers.Wallet {
  const wallet = candidateKeys.get(ethers.getAddress(candidate));
  if (!wallet) throw new Error(`no test key for candidate ${candidate}: make it with candidateWallets`);
  return wallet;
}

/**
 * Registers candidates in one transaction sent by the registries' owner, their operator: one
 * credential each, valid for a day, and each candidate key's consent. A candidate is its key, or
 * an address made by candidateAddresses.
 */
export async function registerCandidates(
  r: Registries,
  keysOrAddresses: readonly (string | ethers.Wallet)[],
): Promise<void> {
  const addresses = keysOrAddresses.map((k) => {
    if (typeof k === "string") return k;
    candidateKeys.set(k.address, k);
    return k.address;
  });
  const operator = { address: await (r.candidates.runner as Signer).getAddress() };
  const provider = providerOf(r);
  const domain = await readDomain(provider, await r.candidates.getAddress());
  const block = await provider.getBlock("latest");
  const now = BigInt(block!.timestamp);
  const apps = await Promise.all(
    addresses.map(async (candidate) => {
      const nonce = await r.candidates.registrationNonce(candidate);
      const credential: Credential = {
        candidate,
        operator: operator.address,
        qualificationHash: ethers.id(`qualification ${candidate}`),
        approve: true,
        issuedAt: now - 10n,
        expiresAt: now + 86_400n,
        nonce,
      };
      const signature = await signCredential(r.auditor, domain, credential);
      const consentSignature = await signCandidateConsent(keyOf(candidate), domain, {
        candidate,
        operator: operator.address,
        nonce,
      });
      return {
        candidate,
        operator: operator.address,
        qualificationHash: credential.qualificationHash,
        signatures: [auditorSignature(credential, signature)],
        consentSignature,
      };
    }),
  );
  await (await r.candidates.registerCandidates(apps, { value: MIN_DEPOSIT * BigInt(apps.length) })).wait();
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
      const signer = await accountOf(r, voter.address);
      const tx = await r.votes.connect(signer).vote(candidates, round === 0 ? [] : candidates);
      await tx.wait();
    }
  }
}
