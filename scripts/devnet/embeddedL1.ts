import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { TASK_NODE_CREATE_SERVER } from "hardhat/builtin-tasks/task-names";

/**
 * Hardhat with the devnet's own config (l1HardhatConfig.ts): Hardhat reads HARDHAT_CONFIG when it
 * is first required, so this must run before anything else loads "hardhat".
 */
export function loadL1Runtime(): HardhatRuntimeEnvironment {
  process.env.HARDHAT_CONFIG = require.resolve("./l1HardhatConfig");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("hardhat") as HardhatRuntimeEnvironment;
}

export interface EmbeddedL1 {
  readonly url: string;
  readonly chainId: number;
  close(): Promise<void>;
}

/**
 * Serves the in-process Hardhat network over JSON-RPC on 127.0.0.1, so child processes (validator
 * nodes, auditors) reach the same chain the devnet deploys to. Blocks come every `blockTimeMs`
 * (interval mining) as well as on each transaction, so L1 confirmations advance on their own.
 */
export async function startEmbeddedL1(
  hre: HardhatRuntimeEnvironment,
  port: number,
  blockTimeMs: number,
): Promise<EmbeddedL1> {
  const provider = hre.network.provider;
  const server = (await hre.run(TASK_NODE_CREATE_SERVER, { hostname: "127.0.0.1", port, provider })) as {
    listen(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  };
  const bound = await server.listen();
  await provider.request({ method: "evm_setIntervalMining", params: [blockTimeMs] });
  const chainId = Number(await provider.request({ method: "eth_chainId" }));
  return { url: `http://127.0.0.1:${bound.port}`, chainId, close: () => server.close() };
}
