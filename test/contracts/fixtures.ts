/** Shared fixtures and helpers for the registry tests: a deployed system and signed applications. */
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { TypedDataDomain } from "ethers";
import { deployGovernance } from "../../scripts/deploy";
import { auditorSignature, readDomain, signCredential, type Credential } from "../../node/types/eip712";
import type { CandidateRegistry } from "../../typechain-types";

export const MIN_DEPOSIT = ethers.parseEther("1");
export const UNBONDING_PERIOD = 3600n;
export const REPRESENTATIVE_COUNT = 5n;
export const THRESHOLD = 3n;
/** Credentials in tests are valid for this long from the block time they are made at. */
export const CREDENTIAL_LIFETIME = 30n * 24n * 3600n;

/** A deterministic address that is nobody's account (candidates need not sign anything). */
export function candidateAddress(i: number): string {
  return ethers.getAddress(ethers.dataSlice(ethers.id(`repchain candidate ${i}`), 12));
}

export function qualificationHash(i: number): string {
  return ethers.id(`qualification record ${i}`);
}

/** Five auditors, threshold 3; signers: owner, auditors[0..4], operator, stranger, voters[0..4]. */
export async function deployFixture() {
  const [owner, a0, a1, a2, a3, a4, operator, stranger, v0, v1, v2, v3, v4] = await ethers.getSigners();
  const auditors = [a0, a1, a2, a3, a4];
  const deployed = await deployGovernance(
    owner,
    {
      auditors: auditors.map((a) => a.address),
      threshold: THRESHOLD,
      minDeposit: MIN_DEPOSIT,
      unbondingPeriod: UNBONDING_PERIOD,
      representativeCount: REPRESENTATIVE_COUNT,
    },
    "hardhat",
  );
  const registry = deployed.candidateRegistry;
  const domain = await readDomain(owner, await registry.getAddress());
  return { ...deployed, registry, owner, auditors, operator, stranger, voters: [v0, v1, v2, v3, v4], domain };
}

export interface CredentialOptions {
  approve?: boolean;
  issuedAt?: bigint;
  expiresAt?: bigint;
  nonce?: bigint;
  domain?: TypedDataDomain;
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
    qualificationHash: qualification,
    approve: options.approve ?? true,
    issuedAt: options.issuedAt ?? now,
    expiresAt: options.expiresAt ?? now + CREDENTIAL_LIFETIME,
    nonce: options.nonce ?? (await registry.registrationNonce(candidate)),
  };
}

/** An Application for `candidate` signed by `signers`, each with the same credential fields. */
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
  return { candidate, qualificationHash: qualification, signatures };
}

type Fixture = Awaited<ReturnType<typeof deployFixture>>;

/** Registers candidates 0..n-1 with the first THRESHOLD auditors, paid and operated by `operator`. */
export async function registerCandidates(fx: Fixture, n: number): Promise<string[]> {
  const addresses: string[] = [];
  for (let i = 0; i < n; i++) {
    const app = await application(
      fx.registry,
      fx.domain,
      fx.auditors.slice(0, Number(THRESHOLD)),
      candidateAddress(i),
      qualificationHash(i),
    );
    await fx.registry.connect(fx.operator).registerCandidate(app, { value: MIN_DEPOSIT });
    addresses.push(candidateAddress(i));
  }
  return addresses;
}
