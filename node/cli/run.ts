import { Command } from "commander";
import { loadConfigWith } from "../config/load";
import { RUN_CONFIG_ENV, RUN_PATH_FIELDS, runConfigSchema } from "../config/runSchema";
import { createLogger } from "../log";
import { startNode } from "../validator/startNode";
import { loadNodeKey } from "../validator/nodeKey";

/**
 * `repchain run --config node.json`: runs a validator node until SIGINT/SIGTERM (clean shutdown,
 * exit 0). Config errors exit 2 naming the field; a fatal runtime error (store write failed, L1 on
 * the wrong chain or reorganised below the confirmed head) exits 1.
 */
export function runCommand(): Command {
  return new Command("run")
    .description("run a repchain validator node (a node without a key verifies and stores only)")
    .option("-c, --config <file>", "JSON config file (docs/node.md lists every field)")
    .option("--data-dir <dir>", "node data directory (overrides the file)")
    .option("--p2p-port <port>", "P2P listen port (overrides the file)")
    .option("--rpc-port <port>", "JSON-RPC port (overrides the file)")
    .option("--log-level <level>", "pino log level")
    .action(
      async (flags: { config?: string; dataDir?: string; p2pPort?: string; rpcPort?: string; logLevel?: string }) => {
        const { config: file, ...rest } = flags;
        const config = loadConfigWith(runConfigSchema, RUN_CONFIG_ENV, RUN_PATH_FIELDS, {
          file: file ?? process.env.REPCHAIN_CONFIG,
          env: process.env,
          flags: rest,
        });
        const key = loadNodeKey(config.keystore);
        const log = createLogger("repchain", config.logLevel);
        const node = await startNode(config, key, log);
        await new Promise<void>((resolve, reject) => {
          const stop = () => resolve();
          process.once("SIGINT", stop);
          process.once("SIGTERM", stop);
          node.fatal.catch(reject);
        }).catch(async (err: Error) => {
          log.fatal({ err: err.message }, "node halted");
          await node.stop().catch(() => undefined);
          throw err;
        });
        await node.stop();
      },
    );
}
