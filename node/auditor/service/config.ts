import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { z } from "zod";
import type { Address } from "../../types/primitives";
import type { ReviewRules } from "./rules";
import { formatIssues } from "../../config/zodIssue";

/**
 * The auditor service's configuration file (JSON). Relative paths are resolved against the file's
 * folder. Amounts are decimal strings (wei and credit values exceed JSON's safe integers).
 */
const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "expected a 0x-prefixed 20-byte hex address")
  .transform((s) => s.toLowerCase() as Address);
const amount = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,77})$/, "expected a decimal integer string")
  .transform(BigInt);
const seconds = z.number().int().nonnegative();

const rulesSchema = z.strictObject({
  minPowHashesPerSecond: amount.default(0n),
  minSigVerificationsPerSecond: amount.default(0n),
  minDeposit: amount.default(0n),
  minCreditValue: amount.default(0n),
  maxMeasurementAgeSeconds: seconds.default(86_400).transform(BigInt),
});

export const auditorConfigSchema = z.strictObject({
  host: z.string().default("127.0.0.1"),
  port: z.number().int().min(0).max(65_535).default(8601),
  /** The auditor's LevelDB folder. */
  dataDir: z.string(),
  /** L1 JSON-RPC endpoint. */
  rpcUrl: z.url().default("http://127.0.0.1:8545"),
  /** deployments/<network>.json written by scripts/deploy.ts, or the two addresses below. */
  deployment: z.string().optional(),
  candidateRegistry: address.optional(),
  auditorRegistry: address.optional(),
  /** The auditor's signing key: an encrypted JSON keystore, or a hex key in an environment variable (devnet). */
  key: z.union([
    z.strictObject({ keystore: z.string(), passwordEnv: z.string().default("REPCHAIN_AUDITOR_PASSWORD") }),
    z.strictObject({ env: z.string().default("REPCHAIN_AUDITOR_KEY") }),
  ]),
  /** Addresses whose signed decisions this auditor accepts. */
  operators: z.array(address).default([]),
  review: z.strictObject({
    mode: z.enum(["automatic", "manual"]),
    rules: rulesSchema.prefault({}),
  }),
  credit: z.union([
    z.strictObject({ file: z.string() }),
    z.strictObject({ url: z.url(), timeoutMs: z.number().int().positive().default(2_000) }),
  ]),
  credentialValiditySeconds: seconds.default(30 * 86_400),
  /** Manual mode: applications beyond this many pending are refused (503) until operators catch up. */
  maxPendingApplications: z.number().int().positive().default(1_000),
  decisionMaxSkewSeconds: seconds.default(300),
  /** Other auditors' base URLs: applications are forwarded to them and bundles ask them. */
  peers: z.array(z.url()).default([]),
  peerTimeoutMs: z.number().int().positive().default(2_000),
  bodyLimitBytes: z.number().int().positive().max(1_048_576).default(16_384),
});

export type AuditorConfig = z.output<typeof auditorConfigSchema>;
export type AuditorConfigInput = z.input<typeof auditorConfigSchema>;
export type { ReviewRules };

/** Parses a config object; paths in it are resolved against `baseDir`. */
export function parseAuditorConfig(input: unknown, baseDir: string): AuditorConfig {
  const result = auditorConfigSchema.safeParse(input);
  if (!result.success) {
    throw new Error(`invalid auditor config: ${formatIssues(result.error, input)}`);
  }
  const config = result.data;
  const at = (p: string) => resolve(baseDir, p);
  return {
    ...config,
    dataDir: at(config.dataDir),
    deployment: config.deployment && at(config.deployment),
    key: "keystore" in config.key ? { ...config.key, keystore: at(config.key.keystore) } : config.key,
    credit: "file" in config.credit ? { file: at(config.credit.file) } : config.credit,
  };
}

export function loadAuditorConfig(path: string): AuditorConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new Error(`cannot read auditor config ${path}: ${(err as Error).message}`, { cause: err });
  }
  return parseAuditorConfig(raw, dirname(resolve(path)));
}
