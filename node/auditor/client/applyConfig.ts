import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { z } from "zod";
import { integer } from "../../config/schema";
import { dottedPath, formatIssues } from "../../config/zodIssue";

/**
 * The `repchain apply` settings: a JSON file (`--config`) whose every field a flag may override.
 * Keys come from the environment (devnet) or encrypted keystores, never from the file itself.
 */
const keySource = z.union([
  z.strictObject({ keystore: z.string(), passwordEnv: z.string() }),
  z.strictObject({ env: z.string() }),
]);
const decimal = z.string().regex(/^(0|[1-9][0-9]{0,77})$/, "a whole number in decimal");

export const applyConfigSchema = z.strictObject({
  auditors: z.array(z.url()).min(1),
  rpcUrl: z.url().default("http://127.0.0.1:8545"),
  deployment: z.string(),
  candidateKey: keySource.default({ env: "REPCHAIN_CANDIDATE_KEY" }),
  operatorKey: keySource.default({ env: "REPCHAIN_OPERATOR_KEY" }),
  /** Wei to escrow; the registry's minDeposit when absent. */
  deposit: decimal.optional(),
  depositTx: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/)
    .optional(),
  creditValue: decimal,
  waitSeconds: integer(0).default(300),
  requestTimeoutMs: z.number().int().positive().default(5_000),
  register: z.boolean().default(false),
  /** Renew the standing registration instead of registering. */
  renew: z.boolean().default(false),
});

/** The flag that sets each field, so a message names what the user typed. */
const APPLY_FLAGS: Readonly<Record<string, string>> = {
  auditors: "--auditor",
  rpcUrl: "--rpc",
  deployment: "--deployment",
  deposit: "--deposit",
  depositTx: "--deposit-tx",
  creditValue: "--credit",
  waitSeconds: "--wait-seconds",
};

function withFlagName(path: readonly PropertyKey[]): string {
  const field = dottedPath()(path);
  const flag = APPLY_FLAGS[String(path[0])];
  return flag === undefined ? field : `${field} (${flag})`;
}

export type ApplyConfig = z.output<typeof applyConfigSchema>;

/** Merges the file (if any) with the flags (which win), validates, and resolves paths. */
export function resolveApplyConfig(file: string | undefined, flags: Record<string, unknown>): ApplyConfig {
  let base: Record<string, unknown> = {};
  let baseDir = process.cwd();
  if (file) {
    try {
      base = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    } catch (err) {
      throw new Error(`cannot read apply config ${file}: ${(err as Error).message}`, { cause: err });
    }
    baseDir = dirname(resolve(file));
  }
  const defined = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  const merged = { ...base, ...defined };
  const result = applyConfigSchema.safeParse(merged);
  if (!result.success) throw new Error(`invalid apply settings: ${formatIssues(result.error, merged, withFlagName)}`);
  const config = result.data;
  // A path from the file is relative to the file's folder; one from a flag, to the working directory.
  const deploymentPath = (value: string) =>
    file !== undefined && defined.deployment === undefined ? resolve(baseDir, value) : resolve(value);
  const key = (k: ApplyConfig["candidateKey"]) =>
    "keystore" in k ? { ...k, keystore: resolve(baseDir, k.keystore) } : k;
  return {
    ...config,
    deployment: deploymentPath(config.deployment),
    candidateKey: key(config.candidateKey),
    operatorKey: key(config.operatorKey),
  };
}
