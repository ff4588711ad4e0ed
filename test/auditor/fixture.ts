import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ethers } from "hardhat";
import { getAddress, Wallet } from "ethers";
import pino from "pino";
import type { Address } from "../../node/types/primitives";
import { parseAuditorConfig, type AuditorConfigInput } from "../../node/auditor/service/config";
import { startAuditor, type RunningAuditor } from "../../node/auditor/service/start";
import type { ApplicationDomainParams } from "../../node/auditor/application";
import { readDomain } from "../../node/types/eip712";
import type { TypedDataDomain } from "ethers";
import type { CandidateRegistry } from "../../typechain-types";

/** Shared set-up of the auditor tests: real registries on Hardhat's in-process network. */
export const MIN_DEPOSIT = ethers.parseEther("1");
export const UNBONDING_SECONDS = 3_600;

export interface Registries {
  readonly auditorRegistry: Address;
  readonly candidateRegistry: Address;
  readonly domain: ApplicationDomainParams;
  readonly credentialDomain: TypedDataDomain;
  readonly candidates: CandidateRegistry;
}

/** Deploys AuditorRegistry (the given auditors, threshold M) and CandidateRegistry. */
export async function deployRegistries(auditors: readonly Wallet[], threshold: number): Promise<Registries> {
  const [owner] = await ethers.getSigners();
  const auditorRegistry = await ethers.deployContract("AuditorRegistry", [
    owner.address,
    auditors.map((a) => a.address),
    threshold,
  ]);
  const candidates = await ethers.deployContract("CandidateRegistry", [
    owner.address,
    await auditorRegistry.getAddress(),
    MIN_DEPOSIT,
    UNBONDING_SECONDS,
    5,
  ]);
  const candidateRegistry = (await candidates.getAddress()).toLowerCase() as Address;
  const { chainId } = await ethers.provider.getNetwork();
  return {
    auditorRegistry: (await auditorRegistry.getAddress()).toLowerCase() as Address,
    candidateRegistry,
    domain: { chainId, candidateRegistry },
    credentialDomain: await readDomain(ethers.provider, candidateRegistry),
    candidates,
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

export interface AuditorSetup {
  readonly wallet: Wallet;
  readonly dir: string;
  readonly registries: Registries;
  readonly config: Partial<AuditorConfigInput> & Pick<AuditorConfigInput, "review" | "credit">;
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
      ...setup.config,
    },
    setup.dir,
  );
  return startAuditor({
    config,
    provider: ethers.provider,
    log: silentLog,
    env: { TEST_AUDITOR_KEY: setup.wallet.privateKey },
  });
}

/** A fresh random key (a plain Wallet, not an HD one). */
export function randomWallet(): Wallet {
  return new Wallet(Wallet.createRandom().privateKey);
}

/** Writes a deployments/<network>.json for the registries, as scripts/deploy.ts does. */
export async function writeDeploymentFile(path: string, registries: Registries): Promise<void> {
  const block = await ethers.provider.getBlock("latest");
  const deployment = {
    network: "hardhat",
    chainId: Number(registries.domain.chainId),
    auditorRegistry: getAddress(registries.auditorRegistry),
    candidateRegistry: getAddress(registries.candidateRegistry),
    // The auditor tests do not use votes; any checksummed address fills the field.
    voteRegistry: getAddress(registries.candidateRegistry),
    deploymentBlock: block!.number,
    deploymentBlockHash: block!.hash,
  };
  await writeFile(path, JSON.stringify(deployment));
}
