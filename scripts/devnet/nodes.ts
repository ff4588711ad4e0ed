import { join } from "node:path";
import type { DevnetNode } from "./accounts";
import { NodeProcess, type NodeCommand } from "./nodeProcess";
import { NodeRpcClient } from "../../node/rpc/nodeRpcClient";
import type { Teardown } from "./teardown";

export interface RunningNode {
  readonly name: string;
  readonly address: string;
  readonly process: NodeProcess;
  readonly rpc: NodeRpcClient;
}

export interface NodesSetup {
  readonly dataDir: string;
  readonly nodes: readonly DevnetNode[];
  readonly onError: (node: string, line: string) => void;
  /** Each node's command line (l2Nodes.ts), in the order of `nodes`. */
  readonly commands: readonly NodeCommand[];
}

/** A node may take this long to start (the machine may be busy). */
const START_TIMEOUT_MS = 120_000;

/**
 * Starts the node processes (their folders and configs are written by l2NodeCommands); registers
 * their stop with the teardown at once, so a failed start still stops the ones that did start.
 * Returns at once; `ready` resolves when every node answers on its RPC port.
 */
export function startNodes(setup: NodesSetup, teardown: Teardown): { ready: Promise<RunningNode[]> } {
  const processes = setup.nodes.map((node, i) => {
    const dir = join(setup.dataDir, "nodes", node.name);
    const address = node.candidate.address.toLowerCase();
    return { address, process: new NodeProcess(node.name, dir, setup.commands[i], { onError: setup.onError }) };
  });
  teardown.onInterrupt(() => processes.forEach((p) => p.process.markStopping()));
  teardown.add("nodes", async () => void (await Promise.all(processes.map((p) => p.process.stop()))));
  const ready = Promise.all(processes.map((p) => withTimeout(p.process.ready, START_TIMEOUT_MS, p.process.name))).then(
    (urls) =>
      processes.map((p, i) => ({
        name: p.process.name,
        address: p.address,
        process: p.process,
        rpc: new NodeRpcClient(urls[i]),
      })),
  );
  ready.catch(() => undefined);
  return { ready };
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
