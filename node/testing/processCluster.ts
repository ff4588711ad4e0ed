import { type ChildProcess } from "node:child_process";
import { createWriteStream, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "./freePorts";
import { runCli, spawnCli } from "./cli";
import { writeLocalRunConfig } from "./localRunConfig";

/** A free TCP port on 127.0.0.1 (bound then released). */
export { freePort };

/** A JSON-RPC call to a node; rejects on a JSON-RPC error. */
export async function rpcCall<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

export interface ClusterNodeSpec {
  /** 0x private key, or null for a node without a key. */
  readonly key: string | null;
  readonly name: string;
}

export interface ClusterNode {
  readonly spec: ClusterNodeSpec;
  readonly dir: string;
  readonly configFile: string;
  readonly rpcUrl: string;
  readonly p2pPort: number;
  process: ChildProcess | null;
  log: string;
}

/**
 * Timeouts and L1 settings small enough for tests (docs/node.md lists the fields); the tests' genesis
 * files confirm L1 blocks at once (`repchain init --l1-confirmations 0`).
 */
export const FAST_NODE_SETTINGS = {
  pollIntervalMs: 100,
  proposeTimeoutMs: 1500,
  prevoteTimeoutMs: 600,
  precommitTimeoutMs: 600,
  roundDeltaMs: 300,
  syncIntervalMs: 300,
  logLevel: "info",
};

/**
 * N `repchain run` child processes on 127.0.0.1 sharing a genesis: node i dials nodes 0..i-1, so
 * every pair is connected once and a restarted node is redialed by the others.
 */
export class Cluster {
  readonly nodes: ClusterNode[] = [];

  constructor(
    private readonly root: string,
    private readonly genesisFile: string,
    private readonly deploymentFile: string,
    private readonly l1Url: string,
  ) {}

  /**
   * Adds a node that dials every node added before it, or the ports in `dialPorts` instead (a
   * proxy in front of each, say).
   */
  async add(spec: ClusterNodeSpec, options: { dialPorts?: readonly number[] } = {}): Promise<ClusterNode> {
    const dir = join(this.root, spec.name);
    const p2pPort = await freePort();
    const rpcPort = await freePort();
    const configFile = writeLocalRunConfig({
      dir,
      l1Url: this.l1Url,
      deploymentFile: this.deploymentFile,
      genesisFile: this.genesisFile,
      p2pPort,
      rpcPort,
      bootnodePorts: options.dialPorts ?? this.nodes.map((n) => n.p2pPort),
      settings: FAST_NODE_SETTINGS,
    });
    const node: ClusterNode = {
      spec,
      dir,
      configFile,
      rpcUrl: `http://127.0.0.1:${rpcPort}`,
      p2pPort,
      process: null,
      log: "",
    };
    this.nodes.push(node);
    return node;
  }

  /** Starts the node's process; `env` adds to its environment (a TEST ONLY switch, say). */
  start(node: ClusterNode, env: NodeJS.ProcessEnv = {}): void {
    const key: NodeJS.ProcessEnv =
      node.spec.key === null ? { REPCHAIN_NODE_KEY: "" } : { REPCHAIN_NODE_KEY: node.spec.key };
    const child = spawnCli(["run", "--config", node.configFile], { ...env, ...key });
    node.log = "";
    const file = createWriteStream(join(node.dir, "node.log"), { flags: "a" });
    child.stderr?.pipe(file);
    child.stderr?.on("data", (d: Buffer) => {
      node.log += d.toString("utf8");
      if (node.log.length > 2_000_000) node.log = node.log.slice(-1_000_000);
    });
    child.stdout?.resume();
    node.process = child;
  }

  kill(node: ClusterNode, signal: NodeJS.Signals = "SIGKILL"): Promise<number | null> {
    const child = node.process;
    node.process = null;
    if (child === null || child.exitCode !== null || child.signalCode !== null)
      return Promise.resolve(child?.exitCode ?? null);
    return new Promise((resolve) => {
      child.once("exit", (code) => resolve(code));
      child.kill(signal);
    });
  }

  wipe(node: ClusterNode): void {
    rmSync(join(node.dir, "data"), { recursive: true, force: true });
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.nodes.map((n) => this.kill(n, "SIGKILL")));
  }

  async height(node: ClusterNode): Promise<number> {
    return (await rpcCall<{ height: number }>(node.rpcUrl, "repchain_status")).height;
  }
}

/**
 * Writes `deployment` and, with `repchain init`, a genesis naming `representatives` into `dir`: a
 * 500 ms target block time, an easy proof of work and L1 blocks confirmed at once, for process
 * tests on a loaded machine.
 */
export async function initClusterGenesis(
  dir: string,
  deployment: unknown,
  representatives: readonly string[],
  epochLength: number,
): Promise<{ deploymentFile: string; genesisFile: string }> {
  const deploymentFile = join(dir, "deployment.json");
  writeFileSync(deploymentFile, JSON.stringify(deployment));
  const genesisFile = join(dir, "genesis.json");
  const init = await runCli([
    "init",
    ...["--deployment", deploymentFile, "--out", genesisFile],
    ...["--representatives", representatives.join(","), "--epoch-length", String(epochLength)],
    ...["--target-block-time-ms", "500", "--pow-difficulty", "256", "--l1-confirmations", "0"],
  ]);
  if (init.code !== 0) throw new Error(`repchain init failed (${init.code}): ${init.stderr}`);
  return { deploymentFile, genesisFile };
}

/** Polls `check` every 200 ms until it returns true; rejects after `timeoutMs` with `what`. */
export async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
