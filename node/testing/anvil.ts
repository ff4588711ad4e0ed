import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "./freePorts";
import { rpcCall } from "./processCluster";

/**
 * Anvil, Foundry's Rust L1 (the npm package @foundry-rs/anvil-linux-amd64, a devDependency), as a
 * second Ethereum client beside Hardhat: what the node runs on must be "any EVM chain", and a client
 * no one here wrote is the honest test of that. Its 30 dev accounts are Hardhat's (same mnemonic),
 * unlocked for eth_sendTransaction. It mines on each transaction, like Hardhat's automine.
 */
export interface Anvil {
  readonly url: string;
  readonly port: number;
  /** A JSON-RPC call (anvil_reorg, evm_mine, …); rejects on a JSON-RPC error. */
  call<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  stop(): Promise<void>;
}

/** How long anvil may take to answer its first request on a loaded machine. */
const START_TIMEOUT_MS = 30_000;

/** The anvil binary of the installed npm package (it ships no JavaScript, only bin/anvil). */
export function anvilBinary(): string {
  try {
    return require.resolve("@foundry-rs/anvil-linux-amd64/bin/anvil");
  } catch {
    throw new Error("anvil is not installed: run `npm ci` (devDependency @foundry-rs/anvil-linux-amd64)");
  }
}

/** Starts anvil on 127.0.0.1 on a free port (Cancun, 30 accounts) and waits until it answers. */
export async function startAnvil(): Promise<Anvil> {
  const port = await freePort();
  const args = ["--host", "127.0.0.1", "--port", String(port), "--accounts", "30", "--hardfork", "cancun"];
  const child = spawn(anvilBinary(), args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString("utf8")).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const call = <T>(method: string, params: unknown[] = []) => rpcCall<T>(url, method, params);
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`anvil exited with ${child.exitCode}: ${stderr}`);
    if (
      await call("eth_chainId").then(
        () => true,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) {
      await stop(child, exited);
      throw new Error(`anvil did not answer on ${url} within ${START_TIMEOUT_MS} ms: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, port, call, stop: () => stop(child, exited) };
}

async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  await exited;
}
