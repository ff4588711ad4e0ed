import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ethers } from "hardhat";
import { Wallet } from "ethers";
import pino from "pino";
import type { Address } from "../../node/types/primitives";
import type { Deployment } from "../../node/types/deployment";
import { parseAuditorConfig, type AuditorConfigInput } from "../../node/auditor/service/config";
import { startAuditor, type RunningAuditor } from "../../node/auditor/service/start";
import type { ApplicationDomainParams, MeasurementReference } from "../../node/auditor/application";
import { AuditorClient } from "../../node/auditor/client/client";
import { answerChallenge } from "../../node/auditor/client/qualify";
import { readDomain } from "../../node/types/eip712";
import type { TypedDataDomain } from "ethers";
import type { CandidateRegistry } from "../../typechain-types";
import { deployGovernance } from "../../scripts/deploy";

/** Shared set-up of the auditor tests: real registries on Hardhat's in-process network. */
export const MIN_DEPOSIT = ethers.parseEther("1");
export const UNBONDING_SECONDS = 3_600;

export interface Registries {
  readonly auditorRegistry: Address;
  readonly candidateRegistry: Address;
  readonly domain: ApplicationDomainParams;
  readonly credentialDomain: TypedDataDomain;
  readonly candidates: CandidateRegistry;
  /** The deployment record deployGovernance made (what deployments/<network>.json holds). */
  readonly deployment: Deployment;
}

/** Deploys the registries as scripts/deploy.ts does: the given auditors with threshold M. */
export async function deployRegistries(auditors: readonly Wallet[], threshold: number): Promise<Registries> {
  const [owner] = await ethers.getSigners();
  const {
    auditorRegistry,
    candidateRegistry: candidates,
    deployment,
  } = await deployGovernance(
    owner,
    {
      auditors: auditors.map((a) => a.address),
      threshold: BigInt(threshold),
      minDeposit: MIN_DEPOSIT,
      unbondingPeriod: BigInt(UNBONDING_SECONDS),
    },
    "hardhat",
  );
  const candidateRegistry = (await candidates.getAddress()).toLowerCase() as Address;
  const { chainId } = await ethers.provider.getNetwork();
  return {
    auditorRegistry: (await auditorRegistry.getAddress()).toLowerCase() as Address,
    candidateRegistry,
    domain: { chainId, candidateRegistry },
    credentialDomain: await readDomain(ethers.provider, candidateRegistry),
    candidates,
    deployment,
  };
}

/** A temporary folder removed by the returned function. */
export async function tempDir(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), "repchain-auditor-"));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A port on 127.0.0.1 that nothing listens on (an auditor that is down). */
export async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function writeCreditFile(path: string, credit: Record<string, bigint>): Promise<void> {
  await writeFile(path, JSON.stringify(Object.fromEntries(Object.entries(credit).map(([a, v]) => [a, v.toString()]))));
}

export const silentLog = pino({ level: "silent" });

/** A challenge small enough for tests on a shared machine (64 expected hashes, 16 signatures). */
export const SMALL_CHALLENGE = { powDifficultyBits: 4, powSolutions: 4, signatureCount: 16 };

/** Has the auditor at `url` measure `candidate` and returns what an application cites. */
export async function measure(url: string, candidate: Address): Promise<MeasurementReference> {
  return (await answerChallenge(new AuditorClient(url, 5_000), candidate)).reference;
}

export interface AuditorSetup {
  readonly wallet: Wallet;
  readonly dir: string;
  readonly registries: Registries;
  readonly config: Partial<AuditorConfigInput> & Pick<AuditorConfigInput, "review" | "credit">;
  /** The clock challenges are timed with (default: the wall clock). */
  readonly nowMs?: () => bigint;
}

/** Starts an auditor in-process on a free port, its key given through the environment as on a devnet. */
export async function runAuditor(setup: AuditorSetup): Promise<RunningAuditor> {
  const config = parseAuditorConfig(
    {
      port: 0,
      dataDir: "db",
      candidateRegistry: setup.registries.candidateRegistry,
      auditorRegistry: setup.registries.auditorRegistry,
      key: { env: "TEST_AUDITOR_KEY" },
      peerTimeoutMs: 1_000,
      challenge: SMALL_CHALLENGE,
      ...setup.config,
    },
    setup.dir,
  );
  return startAuditor({
    config,
    provider: ethers.provider,
    log: silentLog,
    env: { TEST_AUDITOR_KEY: setup.wallet.privateKey },
    nowMs: setup.nowMs,
  });
}

/** A fresh random key (a plain Wallet, not an HD one). */
export function randomWallet(): Wallet {
  return new Wallet(Wallet.createRandom().privateKey);
}

/** Writes the registries' deployments/<network>.json, as scripts/deploy.ts does. */
export async function writeDeploymentFile(path: string, registries: Registries): Promise<void> {
  await writeFile(path, JSON.stringify(registries.deployment));
}
