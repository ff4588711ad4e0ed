import { z } from "zod";

/** A whole number given as a JSON number or as a decimal string (environment, flags). */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  return z
    .union([z.number(), z.string().regex(/^\d+$/).transform(Number)], { error: "must be a whole number" })
    .pipe(z.number().int("must be a whole number").min(min).max(max));
}

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/**
 * The node configuration. Every field has one meaning whatever its source (file, REPCHAIN_*
 * environment variable, command-line flag); sources are merged before this schema runs.
 */
export const nodeConfigSchema = z.strictObject({
  /** L1 JSON-RPC endpoint: http(s) or ws(s). */
  rpcUrl: z.url({ protocol: /^(https?|wss?)$/, error: "must be an http(s):// or ws(s):// URL" }),
  /** deployments/<network>.json written by scripts/deploy.ts. */
  deployment: z.string().min(1, "must name the deployment file"),
  /** Directory of the node's database. */
  dataDir: z.string().min(1, "must name a directory"),
  /**
   * The genesis file written by `repchain init`: the chain's L1 confirmation depth (l1Confirmations)
   * is read from it, so every command counts L1 blocks as the chain does.
   */
  genesis: z.string().min(1, "must name the genesis file"),
  /** Largest eth_getLogs range, in blocks; the follower shrinks it on errors and grows it back. */
  maxBlockRange: integer(1).default(2_000),
  /** How long to wait for a new L1 head once caught up. */
  pollIntervalMs: integer(10).default(2_000),
  /** Per-request RPC timeout. */
  rpcTimeoutMs: integer(100).default(30_000),
  logLevel: z.enum(LOG_LEVELS).default("info"),
});

export type NodeConfig = z.output<typeof nodeConfigSchema>;
export type NodeConfigInput = z.input<typeof nodeConfigSchema>;

/** The environment variable that sets each field. */
export const CONFIG_ENV: Record<keyof NodeConfig, string> = {
  rpcUrl: "REPCHAIN_RPC_URL",
  deployment: "REPCHAIN_DEPLOYMENT",
  dataDir: "REPCHAIN_DATA_DIR",
  genesis: "REPCHAIN_GENESIS",
  maxBlockRange: "REPCHAIN_MAX_BLOCK_RANGE",
  pollIntervalMs: "REPCHAIN_POLL_INTERVAL_MS",
  rpcTimeoutMs: "REPCHAIN_RPC_TIMEOUT_MS",
  logLevel: "REPCHAIN_LOG_LEVEL",
};

/** Fields that are file-system paths (resolved against the config file's directory). */
export const PATH_FIELDS = ["deployment", "dataDir", "genesis"] as const;

/**
 * Settings that moved out of the node config, each with where it went: a node setting that every
 * node must share is a consensus rule, so it lives in the genesis. Given anywhere (file, environment,
 * flag) they are refused with that message rather than silently ignored.
 */
export const MOVED_FIELDS: Readonly<Record<string, { env: string; movedTo: string }>> = {
  confirmations: {
    env: "REPCHAIN_CONFIRMATIONS",
    movedTo:
      "moved to the genesis: the L1 confirmation depth is a consensus rule, `l1Confirmations` in the genesis file " +
      "(`repchain init --l1-confirmations <n>`); remove it from the node config, REPCHAIN_CONFIRMATIONS and the flags",
  },
};
