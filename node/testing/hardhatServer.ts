import hre from "hardhat";
import { TASK_NODE_CREATE_SERVER } from "hardhat/builtin-tasks/task-names";
import type { JsonRpcServer } from "hardhat/types";

/** The in-process Hardhat network served over HTTP (and WebSocket) on 127.0.0.1. */
export interface Devnet {
  readonly url: string;
  readonly wsUrl: string;
  readonly port: number;
  /** Stops serving (the chain itself lives on in hre.network.provider). */
  stop(): Promise<void>;
  /** Serves again on the same port (for "RPC went away and came back"). */
  restart(): Promise<void>;
}

async function serve(port: number): Promise<{ server: JsonRpcServer; port: number }> {
  const server = (await hre.run(TASK_NODE_CREATE_SERVER, {
    hostname: "127.0.0.1",
    port,
    provider: hre.network.provider,
  })) as JsonRpcServer;
  const address = await server.listen();
  return { server, port: address.port };
}

/** Starts serving on a free port chosen by the OS. */
export async function startDevnet(): Promise<Devnet> {
  const first = await serve(0);
  const port = first.port;
  let server = first.server;
  let running = true;
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    async stop() {
      if (!running) return;
      running = false;
      await server.close();
    },
    async restart() {
      if (running) return;
      ({ server } = await serve(port));
      running = true;
    },
  };
}
