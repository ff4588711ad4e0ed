import { Command } from "commander";
import { JsonRpcProvider } from "ethers";
import { applyForCandidacy, describeResult, readRegistryContext, whyNotEnoughApprovals } from "../auditor/client/apply";
import { resolveApplyConfig } from "../auditor/client/applyConfig";
import { loadWallet } from "../auditor/service/keys";
import { asBadInput } from "./auditor";
import { loadDeployment } from "../types/deployment";
import type { Address, Hex } from "../types/primitives";

/**
 * `repchain apply`: let each auditor measure this device (its challenge), sign an application with the candidate's key, send it to
 * the auditors, wait for their decisions and, with --register, register on CandidateRegistry with
 * the gathered credentials and the deposit. Progress goes to stderr, the result to stdout.
 */
export function applyCommand(): Command {
  return new Command("apply")
    .description("apply for candidacy: answer the auditors' challenges, sign, submit, optionally register")
    .exitOverride()
    .showHelpAfterError()
    .option("--auditor <url...>", "an auditor's base URL (repeat or list several)")
    .option("--config <file>", "apply settings (JSON); flags override it")
    .option("--rpc <url>", "L1 JSON-RPC endpoint")
    .option("--deployment <file>", "deployments/<network>.json")
    .option("--candidate-key-env <name>", "variable holding the candidate node's private key")
    .option("--operator-key-env <name>", "variable holding the operator account's private key")
    .option("--deposit <wei>", "deposit to escrow (default: the registry's minDeposit)")
    .option("--deposit-tx <hash>", "the L1 transaction that already paid the deposit")
    .option("--credit <value>", "the account's credit value")
    .option("--wait-seconds <s>", "how long to wait for the auditors' decisions")
    .option("--register", "register on CandidateRegistry once enough auditors approved")
    .option("--renew", "renew the candidate's standing registration (Renewal signatures, renewCredentials)")
    .option("--json", "print the result as JSON")
    .action(async (opts: ApplyFlags) => runApply(opts));
}

interface ApplyFlags {
  auditor?: string[];
  config?: string;
  rpc?: string;
  deployment?: string;
  candidateKeyEnv?: string;
  operatorKeyEnv?: string;
  deposit?: string;
  depositTx?: string;
  credit?: string;
  waitSeconds?: string;
  register?: boolean;
  renew?: boolean;
  json?: boolean;
}

async function runApply(flags: ApplyFlags): Promise<void> {
  const config = asBadInput(() =>
    resolveApplyConfig(flags.config, {
      auditors: flags.auditor,
      rpcUrl: flags.rpc,
      deployment: flags.deployment,
      candidateKey: flags.candidateKeyEnv && { env: flags.candidateKeyEnv },
      operatorKey: flags.operatorKeyEnv && { env: flags.operatorKeyEnv },
      deposit: flags.deposit,
      depositTx: flags.depositTx,
      creditValue: flags.credit,
      waitSeconds: flags.waitSeconds,
      register: flags.register,
      renew: flags.renew,
    }),
  );
  const progress = (message: string) => process.stderr.write(`${message}\n`);
  const deployment = loadDeployment(config.deployment);
  const provider = new JsonRpcProvider(config.rpcUrl, undefined, { staticNetwork: true });
  try {
    const candidate = await loadWallet(config.candidateKey);
    const operator = (await loadWallet(config.operatorKey)).connect(provider);
    const context = await readRegistryContext(provider, {
      candidateRegistry: deployment.candidateRegistry.toLowerCase() as Address,
      auditorRegistry: deployment.auditorRegistry.toLowerCase() as Address,
    });
    const result = await applyForCandidacy({
      ...context,
      candidate,
      operator,
      auditorUrls: config.auditors,
      deposit: config.deposit === undefined ? await context.chain.minDeposit() : BigInt(config.deposit),
      depositTx: config.depositTx?.toLowerCase() as Hex | undefined,
      creditValue: BigInt(config.creditValue),
      register: config.register,
      renew: config.renew,
      requestTimeoutMs: config.requestTimeoutMs,
      waitTimeoutMs: config.waitSeconds * 1_000,
      pollIntervalMs: 1_000,
      onProgress: progress,
    });
    const text = flags.json
      ? JSON.stringify(
          { ...result, signed: undefined },
          (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v),
          2,
        )
      : describeResult(result);
    process.stdout.write(`${text}\n`);
    const refused = whyNotEnoughApprovals(result);
    if (refused !== undefined) process.stderr.write(`repchain apply: ${refused}\n`);
    // Without --register a refusal is still a failure: the credentials cannot register.
    if (refused !== undefined || (config.register && !result.registrationTx)) process.exitCode = 1;
  } finally {
    provider.destroy();
  }
}
