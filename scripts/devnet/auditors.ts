import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Provider, Wallet } from "ethers";
import { parseAuditorConfig } from "../../node/auditor/service/config";
import { startAuditor, type RunningAuditor } from "../../node/auditor/service/start";
import type { Logger } from "../../node/log";

export interface AuditorSetup {
  readonly dir: string;
  readonly wallets: readonly Wallet[];
  readonly deploymentFile: string;
  /** Operators (account addresses) the credit source vouches for. */
  readonly creditedOperators: readonly string[];
  readonly provider: Provider;
  readonly log: Logger;
}

/**
 * Starts the auditors in this process, each with its own LevelDB, HTTP port and key, automatic
 * review, and the others as peers. In-process rather than child processes: they are the devnet's
 * own fixtures (the system under observation is the validator nodes), they share the embedded L1
 * provider without another HTTP hop, and three fewer ts-node start-ups matter on a 2-core machine.
 * The service code is the same `repchain auditor` runs.
 */
export async function startAuditors(setup: AuditorSetup): Promise<RunningAuditor[]> {
  const creditFile = join(setup.dir, "credit.json");
  mkdirSync(setup.dir, { recursive: true });
  writeFileSync(creditFile, JSON.stringify(Object.fromEntries(setup.creditedOperators.map((a) => [a, "100"]))));
  const running: RunningAuditor[] = [];
  try {
    for (const [i, wallet] of setup.wallets.entries()) {
      const config = parseAuditorConfig(
        {
          port: 0,
          dataDir: `auditor-${i + 1}`,
          deployment: setup.deploymentFile,
          key: { env: "DEVNET_AUDITOR_KEY" },
          review: { mode: "automatic", rules: { minCreditValue: "50" } },
          credit: { file: creditFile },
          // Peers already listening; later auditors are told about earlier ones, and the apply
          // client sends to every auditor itself, so one-directional forwarding is enough.
          peers: running.map((a) => a.url),
          peerTimeoutMs: 1_000,
        },
        setup.dir,
      );
      running.push(
        await startAuditor({
          config,
          provider: setup.provider,
          log: setup.log.child({ auditor: i + 1 }),
          env: { DEVNET_AUDITOR_KEY: wallet.privateKey },
        }),
      );
    }
  } catch (err) {
    await Promise.all(running.map((a) => a.close()));
    throw err;
  }
  return running;
}
