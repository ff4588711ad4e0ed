/** Shared fixtures and helpers for the registry tests: a deployed system and signed applications. */
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { Wallet } from "ethers";
import type { HDNodeWallet } from "ethers";
import type { TypedDataDomain } from "ethers";
import { deployGovernance } from "../../scripts/deploy";
import {
  auditorSignature,
  readDomain,
  signCandidateConsent,
  signCredential,
  signRenewal,
  signSigningKeyConsent,
  type Credential,
} from "../../node/types/eip712";
import type { CandidateRegistry, VotingToken } from "../../typechain-types";
import { voteDigest } from "../../node/chain/voteDigest";
import { signDigest } from "../../node/chain/signing";
import type { Hex } from "../../node/types/primitives";

export const MIN_DEPOSIT = ethers.parseEther("1");
export const UNBONDING_PERIOD = 3600n;
export const REPRESENTATIVE_RULE = { minRepresentatives: 2n, maxRepresentatives: 5n, candidatesPerSeat: 2n };
export const THRESHOLD = 3n;
export const L2_CHAIN_ID = 4242n;
export const SLASH_FRACTION = 500n;
/** Voting power minted to each test voter (they delegate to themselves in the fixture). */
export const VOTER_POWER = ethers.parseEther("100");
/** Credentials in tests are valid for this long from the block time they are made at. */
export const CREDENTIAL_LIFETIME = 30n * 24n * 3600n;
/** Hardhat's account #6, the fixture's `operator`: the default sender of applications. */
const DEFAULT_OPERATOR_INDEX = 6;
/** Hardhat's account #19: the treasury that receives slashed amounts. */
const TREASURY_INDEX = 19;

const wallets = new Map<string, Wallet>();

/** The key of candidate `i`: a deterministic wallet no test account uses (candidates sign their consent). */
export function candidateWallet(i: number): Wallet {
  const wallet = new Wallet(ethers.id(`repchain candidate ${i}`));
  wallets.set(wallet.address, wallet);
  return wallet;
}

export function candidateAddress(i: number): string {
  return candidateWallet(i).address;
}

/** The wallet of a candidate address made by candidateWallet. */
export function walletOf(candidate: string): Wallet {
  const wallet = wallets.get(ethers.getAddress(candidate));
  if (!wallet) throw new Error(`no test key for candidate ${candidate}`);
  return wallet;
}

export function qualificationHash(i: number): string {
  return ethers.id(`qualification record ${i}`);
}

/** Five auditors, threshold 3; signers: owner, auditors[0..4], operator, stranger, voters[0..4], treasury. */
export async function deployFixture() {
  const signers = await ethers.getSigners();
  const [owner, a0, a1, a2, a3, a4, operator, stranger, v0, v1, v2, v3, v4] = signers;
  const treasury = signers[TREASURY_INDEX];
  const auditors = [a0, a1, a2, a3, a4];
  const voters = [v0, v1, v2, v3, v4];
  const deployed = await deployGovernance(
    owner,
    {
      auditors: auditors.map((a) => a.address),
      threshold: THRESHOLD,
      minDeposit: MIN_DEPOSIT,
      unbondingPeriod: UNBONDING_PERIOD,
      representativeRule: REPRESENTATIVE_RULE,
      slashFraction: SLASH_FRACTION,
      l2ChainId: L2_CHAIN_ID,
      treasury: treasury.address,
    },
    "hardhat",
  );
  const registry = deployed.candidateRegistry;
  const token = deployed.ownVotingToken as VotingToken;
  for (const voter of voters) {
    await token.mint(voter.address, VOTER_POWER);
    await token.connect(voter).delegate(voter.address);
  }
  const domain = await readDomain(owner, await registry.getAddress());
  return { ...deployed, registry, token, owner, auditors, operator, stranger, voters, treasury, domain };
}

export interface CredentialOptions {
  approve?: boolean;
  issuedAt?: bigint;
  expiresAt?: bigint;
  nonce?: bigint;
  domain?: TypedDataDomain;
  /** The operator the credential and consent name (default: the fixture's operator). */
  operator?: string;
  /** Who signs the consent (default: the candidate's own key). */
  consentSigner?: Wallet | HDNodeWallet;
}

/** The credential an auditor would sign for `candidate` now, with overrides. */
export async function credentialFor(
  registry: CandidateRegistry,
  candidate: string,
  qualification: string,
  options: CredentialOptions = {},
): Promise<Credential> {
  const now = BigInt(await time.latest());
  return {
    candidate,
    operator: options.operator ?? (await ethers.getSigners())[DEFAULT_OPERATOR_INDEX].address,
    qualificationHash: qualification,
    approve: options.approve ?? true,
    issuedAt: options.issuedAt ?? now,
    expiresAt: options.expiresAt ?? now + CREDENTIAL_LIFETIME,
    nonce: options.nonce ?? (await registry.registrationNonce(candidate)),
  };
}

/** The candidate key's consent to `credential`'s operator and nonce. */
export async function consentFor(domain: TypedDataDomain, credential: Credential, signer?: Wallet | HDNodeWallet) {
  return signCandidateConsent(signer ?? walletOf(credential.candidate), domain, {
    candidate: credential.candidate,
    operator: credential.operator,
    nonce: credential.nonce,
  });
}

/** An Application for `candidate` signed by `signers`, each with the same credential fields, and consented. */
export async function application(
  registry: CandidateRegistry,
  domain: TypedDataDomain,
  signers: HardhatEthersSigner[],
  candidate: string,
  qualification: string,
  options: CredentialOptions = {},
) {
  const credential = await credentialFor(registry, candidate, qualification, options);
  const signatures = [];
  for (const signer of signers) {
    const signature = await signCredential(signer, options.domain ?? domain, credential);
    signatures.push(auditorSignature(credential, signature));
  }
  const consentSignature = await consentFor(options.domain ?? domain, credential, options.consentSigner);
  return { candidate, operator: credential.operator, qualificationHash: qualification, signatures, consentSignature };
}

export type Fixture = Awaited<ReturnType<typeof deployFixture>>;

/** Registers candidates 0..n-1 with the first THRESHOLD auditors, paid and operated by `operator`. */
export async function registerCandidates(fx: Fixture, n: number, first = 0): Promise<string[]> {
  const addresses: string[] = [];
  for (let i = first; i < first + n; i++) {
    await registerOne(fx, candidateAddress(i), qualificationHash(i));
    addresses.push(candidateAddress(i));
  }
  return addresses;
}

/** Registers (or registers again) `candidate` through the fixture's operator. */
export async function registerOne(fx: Fixture, candidate: string, qualification = qualificationHash(0)) {
  const app = await application(
    fx.registry,
    fx.domain,
    fx.auditors.slice(0, Number(THRESHOLD)),
    candidate,
    qualification,
  );
  return fx.registry.connect(fx.operator).registerCandidate(app, { value: MIN_DEPOSIT });
}

/** Renewal signatures of `signers` for the standing registration of `candidate` (consent is not needed). */
export async function renewalApplication(
  registry: CandidateRegistry,
  domain: TypedDataDomain,
  signers: HardhatEthersSigner[],
  candidate: string,
  qualification: string,
  options: { expiresAt?: bigint; registration?: bigint; renewal?: bigint; operator?: string } = {},
) {
  const now = BigInt(await time.latest());
  const renewal = {
    candidate,
    operator: options.operator ?? (await registry.getCandidate(candidate)).operator,
    qualificationHash: qualification,
    approve: true,
    issuedAt: now,
    expiresAt: options.expiresAt ?? now + CREDENTIAL_LIFETIME,
    registration: options.registration ?? (await registry.registrationNonce(candidate)),
    renewal: options.renewal ?? (await registry.renewalNonce(candidate)),
  };
  const signatures = [];
  for (const signer of signers) {
    signatures.push(auditorSignature(renewal, await signRenewal(signer, domain, renewal)));
  }
  return {
    candidate,
    operator: renewal.operator,
    qualificationHash: qualification,
    signatures,
    consentSignature: "0x",
  };
}

/** `key`'s consent to become the signing key of `candidate` under the fixture's operator. */
export async function rotationConsent(fx: Fixture, candidate: string, key: Wallet | HDNodeWallet, operator?: string) {
  return signSigningKeyConsent(key, fx.domain, {
    candidate,
    operator: operator ?? fx.operator.address,
    signingKey: key.address,
    nonce: await fx.registry.registrationNonce(candidate),
  });
}

/** The L2 vote step numbers of submitEquivocation. */
export const Step = { Prevote: 1, Precommit: 2 } as const;

/** One vote signed by the node's own code (node/chain/voteDigest.ts + signing.ts) with `key`. */
export function nodeVote(
  key: { privateKey: string },
  step: number,
  height: number,
  round: number,
  blockHash: string,
  chainId = L2_CHAIN_ID,
): string {
  const digest = voteDigest(step === Step.Prevote ? "prevote" : "precommit", chainId, height, round, blockHash as Hex);
  return signDigest(digest, ethers.getBytes(key.privateKey));
}

/** Two conflicting votes by `key` at one height and round, as submitEquivocation's argument list. */
export function equivocation(
  candidate: string,
  key: { privateKey: string },
  options: { step?: number; height?: number; round?: number; hashA?: string; hashB?: string; chainId?: bigint } = {},
) {
  const step = options.step ?? Step.Prevote;
  const height = options.height ?? 7;
  const round = options.round ?? 0;
  const hashA = options.hashA ?? ethers.id("block A");
  const hashB = options.hashB ?? ethers.id("block B");
  const sigA = nodeVote(key, step, height, round, hashA, options.chainId);
  const sigB = nodeVote(key, step, height, round, hashB, options.chainId);
  return [candidate, step, height, round, hashA, sigA, hashB, sigB] as const;
}

/** The registry's evidence hash: keccak256(abi.encode(candidate, step, height, round, lower, higher)). */
export function evidenceHash(candidate: string, step: number, height: number, round: number, a: string, b: string) {
  const [low, high] = BigInt(a) < BigInt(b) ? [a, b] : [b, a];
  return ethers.keccak256(
    ethers.AbiCoder.defaultAbiCoder().encode(
      ["address", "uint8", "uint64", "uint32", "bytes32", "bytes32"],
      [candidate, step, height, round, low, high],
    ),
  );
}
