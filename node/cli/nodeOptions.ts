import { type Command, Option } from "commander";
import { loadConfig, type NodeConfig } from "../config/load";
import { VALIDATOR_ONLY_FIELDS } from "../config/runSchema";

/** The flags every node command shares; each overrides the config file and the environment. */
export function addNodeOptions(command: Command): Command {
  return (
    command
      .option(
        "-c, --config <file>",
        "JSON config file (a node's `repchain run` config works: its validator fields are skipped)",
      )
      .option("--rpc-url <url>", "L1 JSON-RPC endpoint (http(s):// or ws(s)://)")
      .option("--deployment <file>", "deployments/<network>.json of the registries")
      .option("--data-dir <dir>", "directory of the node database")
      .option("--genesis <file>", "the chain's genesis file (its l1Confirmations is the L1 confirmation depth)")
      // Moved to the genesis: still parsed, so that using it names where it went (MOVED_FIELDS).
      .addOption(new Option("--confirmations <n>").hideHelp())
      .option("--max-block-range <n>", "largest eth_getLogs range, in blocks")
      .option("--poll-interval-ms <ms>", "wait between head polls once caught up")
      .option("--rpc-timeout-ms <ms>", "per-request RPC timeout")
      .addOption(new Option("--log-level <level>", "pino log level (logs go to stderr)"))
  );
}

interface NodeFlags {
  config?: string;
  rpcUrl?: string;
  deployment?: string;
  dataDir?: string;
  genesis?: string;
  confirmations?: string;
  maxBlockRange?: string;
  pollIntervalMs?: string;
  rpcTimeoutMs?: string;
  logLevel?: string;
}

/** The merged configuration (flags > REPCHAIN_* environment > file); throws ConfigError. */
export function configFromFlags(flags: NodeFlags, env: NodeJS.ProcessEnv = process.env): NodeConfig {
  const { config, ...rest } = flags;
  return loadConfig({
    file: config ?? env.REPCHAIN_CONFIG,
    env,
    flags: { ...rest },
    ignoredFields: VALIDATOR_ONLY_FIELDS,
  });
}
