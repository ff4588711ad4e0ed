import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePorts } from "../../node/testing/freePorts";
import { writeLocalRunConfig } from "../../node/testing/localRunConfig";
import { TEST_EQUIVOCATE_ENV } from "../../node/consensus/testEquivocation";
import type { DevnetNode } from "./accounts";
import type { NodeCommand } from "./nodeProcess";

/**
 * The devnet's node processes: `repchain init` and `repchain run` (docs/node.md) from the build,
 * dist/node/cli/repchain.js, as an operator runs them; this file is itself compiled into
 * dist/scripts/devnet/. Ports are chosen up front (bound, then released) because every node must
 * know the others' P2P ports as bootnodes and the devnet must know the RPC URLs.
 */
export interface L2Layout {
  readonly dataDir: string;
  readonly l1Url: string;
  readonly deploymentFile: string;
  readonly genesisFile: string;
}

/** The built `repchain` command beside this file in dist/. */
const REPCHAIN = join(__dirname, "../../node/cli/repchain.js");

/** Timeouts small enough for a watchable devnet (the node's defaults suit real networks). */
const DEVNET_RUN_SETTINGS = {
  pollIntervalMs: 250,
  proposeTimeoutMs: 2000,
  prevoteTimeoutMs: 800,
  precommitTimeoutMs: 800,
  roundDeltaMs: 300,
  syncIntervalMs: 500,
  logLevel: "info",
};

/**
 * `repchain init`: the genesis every node shares, with the four genesis representatives. The devnet's
 * L1 mines every second, so one block on top confirms within about a second.
 */
export async function initL2Genesis(
  layout: L2Layout,
  representatives: readonly string[],
  epochLength: number,
  blockTimeMs: number,
): Promise<void> {
  const args = [REPCHAIN, "init", "--deployment", layout.deploymentFile, "--out", layout.genesisFile];
  args.push("--representatives", representatives.join(","), "--epoch-length", String(epochLength));
  args.push("--target-block-time-ms", String(blockTimeMs), "--pow-difficulty", "2000", "--l1-confirmations", "1");
  await promisify(execFile)(process.execPath, args);
}

/**
 * Writes each node's run config and returns the command lines, node i dialing nodes 0..i-1. The
 * node named `byzantine` (--byzantine) runs with the TEST ONLY equivocation switch.
 */
export async function l2NodeCommands(
  layout: L2Layout,
  nodes: readonly DevnetNode[],
  byzantine?: string,
): Promise<NodeCommand[]> {
  const free = await freePorts(2 * nodes.length);
  const ports = nodes.map((_, i) => ({ p2p: free[2 * i], rpc: free[2 * i + 1] }));
  return nodes.map((node, i) => {
    const dir = join(layout.dataDir, "nodes", node.name);
    const config = writeLocalRunConfig({
      dir,
      l1Url: layout.l1Url,
      deploymentFile: layout.deploymentFile,
      genesisFile: layout.genesisFile,
      p2pPort: ports[i].p2p,
      rpcPort: ports[i].rpc,
      bootnodePorts: ports.slice(0, i).map((p) => p.p2p),
      settings: DEVNET_RUN_SETTINGS,
    });
    return {
      command: process.execPath,
      args: ["--enable-source-maps", REPCHAIN, "run", "--config", config],
      cwd: dir,
      env: {
        ...process.env,
        REPCHAIN_NODE_KEY: node.candidate.privateKey,
        ...(node.name === byzantine ? { [TEST_EQUIVOCATE_ENV]: "1" } : {}),
      },
      rpcUrl: `http://127.0.0.1:${ports[i].rpc}`,
    };
  });
}
