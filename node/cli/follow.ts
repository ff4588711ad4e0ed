import { Command } from "commander";
import { DEEP_REORG_ACTION, L1Error, L1ErrorCode } from "../l1/errors";
import type { L1Follower } from "../l1/follower";
import type { Logger } from "../log";
import { openFollowerContext } from "./followerContext";
import { addNodeOptions, configFromFlags } from "./nodeOptions";

/** How often `follow` logs its progress line. */
const PROGRESS_INTERVAL_MS = 2_000;

/**
 * `repchain follow`: runs the L1 follower until SIGINT/SIGTERM. Progress (L1 block, lag,
 * events/s) goes to stderr as pino lines; a fatal L1 error (wrong chain, deep reorg) exits 1.
 */
export function followCommand(): Command {
  return addNodeOptions(new Command("follow"))
    .description("follow the L1 registries' events into the node database")
    .action(async (flags) => {
      const config = configFromFlags(flags);
      const controller = new AbortController();
      const ctx = await openFollowerContext(config, "follow", controller.signal);
      const stop = () => controller.abort();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      const progress = reportProgress(ctx.follower, ctx.logger);
      try {
        ctx.logger.info({ rpcUrl: redactUrl(ctx.config.rpcUrl), dataDir: ctx.config.dataDir }, "following L1");
        await ctx.follower.run(controller.signal);
        ctx.logger.info(ctx.follower.progress, "stopped");
      } catch (err) {
        const action = err instanceof L1Error && err.code === L1ErrorCode.DEEP_REORG ? DEEP_REORG_ACTION : undefined;
        ctx.logger.fatal({ err, action }, "L1 follower halted");
        throw err;
      } finally {
        clearInterval(progress);
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        await ctx.close();
      }
    });
}

function reportProgress(follower: L1Follower, logger: Logger): NodeJS.Timeout {
  let lastEvents = follower.eventsIngested;
  let lastAt = Date.now();
  return setInterval(() => {
    const now = Date.now();
    const { cursor, head, confirmed } = follower.progress;
    const eventsPerSec = Math.round(((follower.eventsIngested - lastEvents) * 1000) / Math.max(1, now - lastAt));
    lastEvents = follower.eventsIngested;
    lastAt = now;
    logger.info(
      {
        l1Block: cursor?.number,
        head,
        lag: cursor === undefined ? undefined : head - cursor.number,
        confirmed: confirmed?.number,
        eventsPerSec,
        events: follower.eventsIngested,
      },
      "progress",
    );
  }, PROGRESS_INTERVAL_MS).unref();
}

/** An RPC URL may carry an API key in its path or query: log only scheme, host and port. */
function redactUrl(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}`;
}
