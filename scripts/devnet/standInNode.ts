/**
 * A devnet node process: `node -r ts-node/register/transpile-only scripts/devnet/standInNode.ts
 *   --config node.json --genesis genesis.json --name node-1 [--address 0x…] [--rpc-port 0]`.
 *
 * It follows L1 into its own database, elects per epoch (L1EpochNode) and serves the node's
 * JSON-RPC API, the dashboard and /metrics on 127.0.0.1. Its first stdout line is
 * `{"rpcUrl":"http://127.0.0.1:…"}` so the devnet knows where it listens; logs are pino JSON on
 * stderr. SIGINT/SIGTERM stop it cleanly (follower aborted, RPC server and store closed, exit 0).
 */
import { Command } from "commander";
import { loadConfig } from "../../node/config/load";
import { openFollowerContext, type FollowerContext } from "../../node/cli/followerContext";
import { fetchHeaders } from "../../node/l1/headers";
import { dashboardPages } from "../../node/rpc/dashboardPages";
import { createNodeMetrics, RoleCode } from "../../node/rpc/nodeMetrics";
import { nodeRpcMethods } from "../../node/rpc/nodeRpcMethods";
import { startRpcServer, type RunningRpcServer } from "../../node/rpc/rpcServer";
import { readGenesis } from "./genesis";
import { L1EpochNode } from "./l1EpochNode";

/** How often the node checks whether the confirmed head passed an epoch boundary. */
const ADVANCE_INTERVAL_MS = 200;

interface StandInFlags {
  config: string;
  genesis: string;
  name: string;
  address?: string;
  rpcPort: string;
}

async function main(argv: string[]): Promise<void> {
  const flags = new Command("stand-in-node")
    .requiredOption("--config <file>", "follower config (node.json)")
    .requiredOption("--genesis <file>", "devnet genesis.json")
    .requiredOption("--name <id>", "node id shown in status")
    .option("--address <0x…>", "this node's candidate address")
    .option("--rpc-port <port>", "JSON-RPC port (0: any free port)", "0")
    .parse(argv)
    .opts<StandInFlags>();
  const genesis = readGenesis(flags.genesis);
  const ctx = await openFollowerContext(loadConfig({ file: flags.config }), flags.name);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  // The devnet holds our stdin open; EOF means it is gone, and a node must not outlive it.
  process.stdin.on("end", stop).resume();
  let server: RunningRpcServer | undefined;
  try {
    const node = new L1EpochNode(
      ctx.follower,
      genesis,
      { nodeId: flags.name, address: flags.address?.toLowerCase(), chainId: genesis.chainId },
      (n) => blockTimestamp(ctx, n),
    );
    const metrics = createNodeMetrics();
    server = await startRpcServer({
      host: "127.0.0.1",
      port: Number(flags.rpcPort),
      methods: nodeRpcMethods(node),
      metrics: metrics.registry,
      pages: dashboardPages(),
      log: ctx.logger,
    });
    process.stdout.write(`${JSON.stringify({ rpcUrl: server.url })}\n`);
    ctx.logger.info({ rpcUrl: server.url, address: flags.address }, "stand-in node listening");
    const following = ctx.follower.run(controller.signal);
    await Promise.all([following, electLoop(node, ctx, metrics, controller.signal)]);
    ctx.logger.info("stopped");
  } catch (err) {
    ctx.logger.fatal({ err }, "stand-in node halted");
    controller.abort();
    process.exitCode = 1;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    process.stdin.destroy();
    await server?.close();
    await ctx.close();
  }
}

/** Holds elections as the confirmed head passes epoch boundaries, and keeps the gauges current. */
async function electLoop(
  node: L1EpochNode,
  ctx: FollowerContext,
  metrics: ReturnType<typeof createNodeMetrics>,
  signal: AbortSignal,
): Promise<void> {
  const roleCode = { representative: RoleCode.Representative, candidate: RoleCode.Candidate, ordinary: 0 };
  while (!signal.aborted) {
    for (const record of await node.advance()) {
      ctx.logger.info(
        {
          epoch: record.epoch,
          atL1Block: node.lastBlockOfEpoch(record.epoch - 1),
          representatives: record.representatives.map((r) => `${r.address}:${r.votes}`),
          added: record.added,
          removed: record.removed,
          role: node.role(),
        },
        "election held",
      );
    }
    const status = node.status();
    metrics.height.set(status.height);
    metrics.epoch.set(status.epoch);
    metrics.role.set(roleCode[status.role]);
    metrics.l1Block.set(status.l1.confirmedBlock);
    metrics.l1Lag.set(status.l1.lagBlocks);
    await new Promise((resolve) => setTimeout(resolve, ADVANCE_INTERVAL_MS));
  }
}

async function blockTimestamp(ctx: FollowerContext, n: number): Promise<number> {
  const stored = await ctx.store.headers.get(n);
  if (stored) return stored.timestamp;
  const header = (await fetchHeaders(ctx.rpc, [n])).get(n);
  if (!header) throw new Error(`L1 has no block ${n}`);
  return header.timestamp;
}

main(process.argv).catch((err: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 60, msg: "stand-in node failed", err: String(err) })}\n`);
  process.exitCode = 1;
});
