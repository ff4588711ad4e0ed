import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { finished, type CliRun } from "./cli";
import { freePort } from "./freePorts";

const ROOT = join(__dirname, "..", "..");
const HARDHAT = join(ROOT, "node_modules", "hardhat", "internal", "cli", "bootstrap.js");

/** Hardhat account #0, the one `npx hardhat node` prints first: the deployer and owner in tests. */
export const HARDHAT_KEY_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

/** `npx hardhat <args>` in the project, as a user runs it, to completion. */
export function runHardhat(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const child = spawn(process.execPath, [HARDHAT, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return finished(child);
}

export interface SeparateL1 {
  readonly url: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * `npx hardhat node --hostname 127.0.0.1 --port <free>` in its own process: an L1 that knows nothing
 * of this process' compiled contracts, as a real network does not. Resolves once it answers.
 */
export async function startSeparateL1(extraArgs: string[] = []): Promise<SeparateL1> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [HARDHAT, "node", "--hostname", "127.0.0.1", "--port", String(port), ...extraArgs],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const exited = finished(child);
  const url = `http://127.0.0.1:${port}`;
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      if (d.toString().includes("Started HTTP and WebSocket JSON-RPC server")) resolve();
    });
    void exited.then((run) => reject(new Error(`hardhat node exited ${run.code}: ${run.stderr}`)));
  });
  return {
    url,
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
