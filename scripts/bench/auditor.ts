/**
 * Figures for the auditor (not a test): the device benchmark on this machine, and how many
 * applications an automatic auditor reviews and signs per second (each one: EIP-712 recovery, two
 * L1 reads, a credit lookup, a credential signature and a synced LevelDB batch).
 *
 *   npm run bench:auditor            (APPLICATIONS=400 CONCURRENCY=8 to change the load)
 */
import hre from "hardhat";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Wallet, type TypedDataDomain } from "ethers";
import pino from "pino";
import { NO_DEPOSIT_TX, signApplication, type SignedApplication } from "../../node/auditor/application";
import { AuditorClient } from "../../node/auditor/client/client";
import { parseAuditorConfig } from "../../node/auditor/service/config";
import { answerChallenge } from "../../node/auditor/client/qualify";
import { startAuditor } from "../../node/auditor/service/start";
import { measureDevicePerformance } from "../../node/qualification/benchmark";
import { readDomain } from "../../node/types/eip712";
import type { Address } from "../../node/types/primitives";
import { deployGovernance } from "../deploy";
import { reportFigure } from "./figure";

const APPLICATIONS = Number(process.env.APPLICATIONS ?? 200);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8);

async function main(): Promise<void> {
  const device = measureDevicePerformance({ durationMsPerTest: 1_000 });
  console.log(
    `device: PoW ${device.powHashesPerSecond} keccak256/s, ${device.sigVerificationsPerSecond} secp256k1 verify/s`,
  );

  const { ethers } = hre;
  const [owner, operatorSigner] = await ethers.getSigners();
  const auditorKey = new Wallet(Wallet.createRandom().privateKey);
  const { auditorRegistry: auditors, candidateRegistry: candidates } = await deployGovernance(
    owner,
    { auditors: [auditorKey.address], threshold: 1n, minDeposit: ethers.parseEther("1"), unbondingPeriod: 3_600n },
    "hardhat",
  );
  const candidateRegistry = (await candidates.getAddress()).toLowerCase() as Address;
  const domain = { chainId: (await ethers.provider.getNetwork()).chainId, candidateRegistry };
  const operator = operatorSigner.address.toLowerCase() as Address;

  const dir = await mkdtemp(join(tmpdir(), "repchain-bench-auditor-"));
  await writeFile(join(dir, "credit.json"), JSON.stringify({ [operator]: "100" }));
  const config = parseAuditorConfig(
    {
      port: 0,
      dataDir: "db",
      candidateRegistry,
      auditorRegistry: (await auditors.getAddress()).toLowerCase(),
      key: { env: "BENCH_AUDITOR_KEY" },
      review: { mode: "automatic" },
      credit: { file: "credit.json" },
      // The smallest challenge: this measures the review, not the applicants' devices.
      challenge: { powDifficultyBits: 0, powSolutions: 1, signatureCount: 8, maxOpen: APPLICATIONS },
    },
    dir,
  );
  const auditor = await startAuditor({
    config,
    provider: ethers.provider,
    log: pino({ level: "silent" }),
    env: { BENCH_AUDITOR_KEY: auditorKey.privateKey },
  });
  try {
    const client = new AuditorClient(auditor.url, 30_000);
    const registryDomain = await readDomain(ethers.provider, candidateRegistry);
    const apps = await signApplications(APPLICATIONS, operator, domain, registryDomain, client);
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < apps.length) {
          const app = apps[next++];
          const t0 = performance.now();
          const record = await client.submit(app);
          if (record.status !== "approved") throw new Error(`unexpected ${record.status}`);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
    console.log(
      `auditor: ${APPLICATIONS} applications reviewed and signed in ${seconds.toFixed(2)} s ` +
        `(${(APPLICATIONS / seconds).toFixed(0)}/s, concurrency ${CONCURRENCY}); latency p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms`,
    );
    const what = `automatic auditor, concurrency ${CONCURRENCY}`;
    reportFigure({ key: "auditor.rate", what, value: APPLICATIONS / seconds, unit: "apps/s", aim: "—", met: null });
  } finally {
    await auditor.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** One measured, signed application per fresh candidate (the challenges are not timed here). */
async function signApplications(
  count: number,
  operator: Address,
  domain: { chainId: bigint; candidateRegistry: Address },
  registryDomain: TypedDataDomain,
  client: AuditorClient,
): Promise<SignedApplication[]> {
  const out: SignedApplication[] = [];
  for (let i = 0; i < count; i++) {
    const candidate = new Wallet(Wallet.createRandom().privateKey);
    const address = candidate.address.toLowerCase() as Address;
    const { reference } = await answerChallenge(client, address);
    const application = {
      candidate: address,
      operator,
      qualification: { deposit: 10n ** 18n, depositTx: NO_DEPOSIT_TX, creditValue: 100n, measurements: [reference] },
      nonce: 0n,
      renew: false,
    };
    out.push(await signApplication(candidate, application, domain, registryDomain));
  }
  return out;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
