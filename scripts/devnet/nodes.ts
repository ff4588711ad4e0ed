import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DevnetAccounts } from "./accounts";
import { NodeProcess, standInNodeCommand, type NodeCommand } from "./nodeProcess";
import { NodeRpcClient } from "../../node/rpc/nodeRpcClient";
import type { Teardown } from "./teardown";

export interface RunningNode {
  readonly name: string;
  readonly address: string;
  readonly process: NodeProcess;
  readonly rpc: NodeRpcClient;
}

export interface NodesSetup {
  readonly root: string;
  /** The node code transpiled by transpileTree. */
  readonly buildDir: string;
  readonly dataDir: string;
  readonly l1Url: string;
  readonly deploymentFile: string;
  readonly genesisFile: string;
  readonly accounts: DevnetAccounts;
  readonly onError: (node: string, line: string) => void;
  /** The L2 node's command lines (l2Nodes.ts); the stand-in node when absent. */
  readonly commands?: readonly NodeCommand[];
}

/** A node may take this long to start (ts-node compiles on the fly; the machine may be busy). */
const START_TIMEOUT_MS = 120_000;

/** Confirmations on the devnet: Hardhat never reorgs, one block on top is enough to show the rule. */
const DEVNET_CONFIRMATIONS = 1;

/**
 * Writes each node's config into `<dataDir>/nodes/<name>/node.json` and starts the node
 * processes; registers their stop with the teardown before waiting, so a failed start still
 * stops the ones that did start.
 */
export async function startNodes(setup: NodesSetup, teardown: Teardown): Promise<RunningNode[]> {
  const processes = setup.accounts.nodes.map((node, i) => {
    const dir = join(setup.dataDir, "nodes", node.name);
    mkdirSync(dir, { recursive: true });
    const address = node.candidate.address.toLowerCase();
    const spec = setup.commands?.[i] ?? standInNode(setup, dir, node.name, address);
    return { address, process: new NodeProcess(node.name, dir, spec, { onError: setup.onError }) };
  });
  teardown.onInterrupt(() => processes.forEach((p) => p.process.markStopping()));
  teardown.add("nodes", async () => void (await Promise.all(processes.map((p) => p.process.stop()))));
  const urls = await Promise.all(processes.map((p) => withTimeout(p.process.ready, START_TIMEOUT_MS, p.process.name)));
  return processes.map((p, i) => ({
    name: p.process.name,
    address: p.address,
    process: p.process,
    rpc: new NodeRpcClient(urls[i]),
  }));
}

/** The stand-in node's follower config, written beside its database. */
function standInNode(setup: NodesSetup, dir: string, name: string, address: string): NodeCommand {
  const config = join(dir, "node.json");
  const nodeConfig = {
    rpcUrl: setup.l1Url,
    deployment: setup.deploymentFile,
    dataDir: dir,
    confirmations: DEVNET_CONFIRMATIONS,
    pollIntervalMs: 250,
    logLevel: "info",
  };
  writeFileSync(config, JSON.stringify(nodeConfig, null, 2) + "\n");
  return standInNodeCommand(setup.root, setup.buildDir, { config, genesis: setup.genesisFile }, name, address);
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not start within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
