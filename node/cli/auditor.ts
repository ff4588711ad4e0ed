import { Command, Option } from "commander";
import { AuditorClient } from "../auditor/client/client";
import { loadAuditorConfig } from "../auditor/service/config";
import { signDecision } from "../auditor/service/decision";
import { createKeystore, loadWallet, type KeySource } from "../auditor/service/keys";
import { startAuditor } from "../auditor/service/start";
import type { RecordResponse } from "../auditor/apiJson";
import { createLogger } from "../log";
import { BadInputError } from "./badInput";
import type { Hex } from "../types/primitives";

/**
 * `repchain auditor`: run the auditor service, and the operator's commands to review its queue.
 * Reviewers (the people listed in the auditor's `operators`) sign their decisions with their own
 * key: REPCHAIN_REVIEWER_KEY or a keystore. It is not REPCHAIN_OPERATOR_KEY, which `repchain apply`
 * uses for the candidacy's operator account (the one that pays the deposit and gets it back).
 */
export function auditorCommand(): Command {
  // exitOverride before the subcommands, which inherit it: bad flags then reach main() as a
  // CommanderError (exit code 2) instead of commander exiting with 1 on its own.
  const auditor = new Command("auditor")
    .description("the auditor service: review applications, sign credentials")
    .exitOverride()
    .showHelpAfterError();

  auditor
    .command("serve", { isDefault: true })
    .description("start the auditor service (the default)")
    .requiredOption("--config <file>", "auditor config (JSON)")
    .action(async (opts: { config: string }) => serve(opts.config));

  withTarget(auditor.command("pending").description("list the applications waiting for an operator")).action(
    async (opts: TargetOptions) => {
      const list = await client(opts).pending();
      for (const r of list) process.stdout.write(`${summary(r)}\n`);
      if (list.length === 0) process.stderr.write("no pending application\n");
    },
  );

  withTarget(auditor.command("status <id>").description("show one application and its decision")).action(
    async (id: string, opts: TargetOptions) => {
      process.stdout.write(`${JSON.stringify(await client(opts).status(id as Hex), replacer, 2)}\n`);
    },
  );

  withOperator(withTarget(auditor.command("approve <id>").description("approve a pending application")))
    .option("--reason <text>", "why", "approved by operator")
    .action(async (id: string, opts: DecideOptions) => decide(id as Hex, true, opts));

  withOperator(withTarget(auditor.command("reject <id>").description("reject a pending application")))
    .requiredOption("--reason <text>", "why (returned to the applicant)")
    .action(async (id: string, opts: DecideOptions) => decide(id as Hex, false, opts));

  auditor
    .command("new-key")
    .description("create an auditor or operator key as an encrypted JSON keystore; prints its address")
    .requiredOption("--out <file>", "where to write the keystore (must not exist)")
    .option("--password-env <name>", "variable holding the password", "REPCHAIN_AUDITOR_PASSWORD")
    .action(async (opts: { out: string; passwordEnv: string }) => {
      const password = process.env[opts.passwordEnv];
      if (password === undefined) throw new Error(`set ${opts.passwordEnv} to the keystore's password`);
      process.stdout.write(`${await createKeystore(opts.out, password)}\n`);
    });

  return auditor;
}

interface TargetOptions {
  url?: string;
  config?: string;
  timeoutMs: string;
}
interface DecideOptions extends TargetOptions {
  reason: string;
  reviewerKeyEnv: string;
  keystore?: string;
  passwordEnv: string;
}

function withTarget(cmd: Command): Command {
  return cmd
    .addOption(new Option("--url <url>", "the auditor's base URL").conflicts("config"))
    .option("--config <file>", "or: the auditor's config, to reach it on its host and port")
    .option("--timeout-ms <ms>", "request timeout", "5000");
}

function withOperator(cmd: Command): Command {
  return cmd
    .option(
      "--reviewer-key-env <name>",
      "variable holding the reviewer's private key (an address in the auditor's `operators`)",
      "REPCHAIN_REVIEWER_KEY",
    )
    .option("--keystore <file>", "or: the reviewer's encrypted JSON keystore")
    .option("--password-env <name>", "variable holding the keystore password", "REPCHAIN_REVIEWER_PASSWORD");
}

function client(opts: TargetOptions): AuditorClient {
  let url = opts.url;
  if (!url && opts.config) {
    const config = asBadInput(() => loadAuditorConfig(opts.config!));
    url = `http://${config.host}:${config.port}`;
  }
  if (!url) throw new BadInputError("give the auditor with --url <url> or --config <file>");
  const timeoutMs = Number(opts.timeoutMs);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
    throw new BadInputError(`--timeout-ms must be a positive integer`);
  return new AuditorClient(url, timeoutMs);
}

/** A config file that is missing or wrong is the user's input to fix: exit code 2, not 1. */
export function asBadInput<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    throw new BadInputError((err as Error).message);
  }
}

async function decide(id: Hex, approve: boolean, opts: DecideOptions): Promise<void> {
  const key: KeySource = opts.keystore
    ? { keystore: opts.keystore, passwordEnv: opts.passwordEnv }
    : { env: opts.reviewerKeyEnv };
  const operator = await loadWallet(key);
  const auditor = client(opts);
  // The decision's domain and auditor come from the service itself, so the CLI needs no L1 access.
  const info = await auditor.info();
  const decision = {
    auditor: info.auditor,
    applicationId: id,
    approve,
    reason: opts.reason,
    issuedAt: BigInt(Math.floor(Date.now() / 1000)),
  };
  const domain = { chainId: info.chainId, candidateRegistry: info.candidateRegistry };
  const operatorSignature = await signDecision(operator, decision, domain);
  const record = await auditor.decide(id, {
    approve,
    reason: opts.reason,
    issuedAt: decision.issuedAt,
    operatorSignature,
  });
  process.stdout.write(`${summary(record)}\n`);
}

async function serve(configPath: string): Promise<void> {
  const log = createLogger("auditor");
  const config = asBadInput(() => loadAuditorConfig(configPath));
  const running = await startAuditor({ config, log });
  process.stdout.write(`auditor ${running.address} listening on ${running.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  log.info("stopping");
  await running.close();
}

function summary(r: RecordResponse): string {
  const q = r.application.qualification;
  const verdict = r.decision ? ` by ${r.decision.by}: ${r.decision.reason}` : r.advice ? ` (rules: ${r.advice})` : "";
  return (
    `${r.id} ${r.status} candidate=${r.application.candidate} operator=${r.application.operator} ` +
    `pow=${q.powHashesPerSecond}H/s sig=${q.sigVerificationsPerSecond}/s deposit=${q.deposit} ` +
    `credit=${q.creditValue}${verdict}`
  );
}

function replacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}
