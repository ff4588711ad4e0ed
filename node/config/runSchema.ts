import { z } from "zod";
import { MAX_TRANSACTIONS_PER_BLOCK_LIMIT } from "../chain/budgets";
import { CONFIG_ENV, PATH_FIELDS, integer, nodeConfigSchema } from "./schema";

const wsUrl = z.url({ protocol: /^wss?$/, error: "must be a ws:// or wss:// URL" });

/**
 * `repchain run`: the follower's fields (schema.ts) plus the validator's. docs/node.md documents
 * every field; units are last in the names. The signing key is not a field: it comes from the
 * REPCHAIN_NODE_KEY environment variable or from `keystore` + REPCHAIN_KEYSTORE_PASSWORD.
 */
export const runConfigSchema = z.strictObject({
  ...nodeConfigSchema.shape,
  /** An ethers encrypted JSON keystore holding the node key (password in REPCHAIN_KEYSTORE_PASSWORD). */
  keystore: z.string().min(1).optional(),
  /** P2P listen address and port, and the peers to dial. */
  p2pHost: z.string().min(1).default("127.0.0.1"),
  p2pPort: integer(0, 65535).default(30333),
  bootnodes: z.array(wsUrl).max(64).default([]),
  /** JSON-RPC, dashboard and /metrics. */
  rpcHost: z.string().min(1).default("127.0.0.1"),
  rpcPort: integer(0, 65535).default(8645),
  /** Tendermint timeouts; each grows by roundDeltaMs per round. */
  proposeTimeoutMs: integer(10).default(3000),
  prevoteTimeoutMs: integer(10).default(1000),
  precommitTimeoutMs: integer(10).default(1000),
  roundDeltaMs: integer(0).default(500),
  /** How often the node asks its peers' heights (and pulls blocks if behind). */
  syncIntervalMs: integer(10).default(1000),
  mempoolMaxTransactions: integer(1).default(20_000),
  /** Bytes of pending transactions the mempool holds (a full pool evicts the heaviest sender's newest). */
  mempoolMaxBytes: integer(64 * 1024).default(32 * 1024 * 1024),
  /** A pending transaction not included within this long is dropped. */
  mempoolTtlMs: integer(1000).default(600_000),
  /** Worker threads the proof-of-work search may use (each takes one core while the node mines). */
  powThreads: integer(1, 64).default(1),
  /** Most transactions this node puts in a block it proposes; the genesis's maxTransactionsPerBlock if absent (and at most that). */
  proposerMaxTransactions: integer(0, MAX_TRANSACTIONS_PER_BLOCK_LIMIT).optional(),
  /**
   * An L1 account that submits committed vote evidence to CandidateRegistry.submitEquivocation
   * (and pays its gas): an encrypted keystore with its password's variable, or a variable holding
   * the hex key (devnet). Absent: the node jails on L2 and leaves L1 to others.
   */
  evidenceSubmitter: z
    .union([
      z.strictObject({ keystore: z.string().min(1), passwordEnv: z.string().default("REPCHAIN_SUBMITTER_PASSWORD") }),
      z.strictObject({ env: z.string().default("REPCHAIN_SUBMITTER_KEY") }),
    ])
    .optional(),
});

export type RunConfig = z.output<typeof runConfigSchema>;

export const RUN_CONFIG_ENV: Record<string, string> = {
  ...CONFIG_ENV,
  keystore: "REPCHAIN_KEYSTORE",
  p2pHost: "REPCHAIN_P2P_HOST",
  p2pPort: "REPCHAIN_P2P_PORT",
  rpcHost: "REPCHAIN_RPC_HOST",
  rpcPort: "REPCHAIN_RPC_PORT",
};

export const RUN_PATH_FIELDS = [...PATH_FIELDS, "keystore", "evidenceSubmitter.keystore"] as const;

/**
 * The validator's own fields. `repchain follow`/`elect` read a node's config file and skip these,
 * so one node.json serves every command.
 */
export const VALIDATOR_ONLY_FIELDS: readonly string[] = Object.keys(runConfigSchema.shape).filter(
  (field) => !(field in nodeConfigSchema.shape),
);
