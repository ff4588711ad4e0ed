import { join } from "node:path";
import { mkdirSync } from "node:fs";
import type { Genesis } from "../chain/genesis";
import type { NodeConfig } from "../config/load";
import { checkGenesisMatchesDeployment, readGenesis } from "../config/genesisFile";
import { L1Follower } from "../l1/follower";
import { registryDecoder, storeIdentity } from "../l1/registries";
import { createTransport, type RpcTransport } from "../l1/rpc";
import { createLogger, type Logger } from "../log";
import { L1Store } from "../store/l1Store";
import { type Deployment, loadDeployment } from "../types/deployment";

/** Everything a follower command opens, and how to close it. */
export interface FollowerContext {
  readonly config: NodeConfig;
  readonly deployment: Deployment;
  readonly genesis: Genesis;
  readonly logger: Logger;
  readonly store: L1Store;
  readonly rpc: RpcTransport;
  readonly follower: L1Follower;
  close(): Promise<void>;
}

/** The database lives in `<dataDir>/db` so later stages can keep other files beside it. */
export function databasePath(dataDir: string): string {
  return join(dataDir, "db");
}

/** Opens the store, the RPC transport and the follower for `config` (the CLI's composition root). */
export async function openFollowerContext(
  config: NodeConfig,
  name: string,
  signal?: AbortSignal,
): Promise<FollowerContext> {
  const deployment = loadDeployment(config.deployment);
  // The chain's confirmation depth: `follow` and `elect` count L1 blocks as its nodes do.
  const genesis = readGenesis(config.genesis);
  checkGenesisMatchesDeployment(genesis, deployment);
  const logger = createLogger(name, config.logLevel);
  mkdirSync(config.dataDir, { recursive: true });
  const store = await L1Store.open(databasePath(config.dataDir));
  // The signal aborts a request in flight, so a stop does not wait for an RPC timeout.
  const rpc = createTransport(config.rpcUrl, config.rpcTimeoutMs, signal);
  const follower = new L1Follower({
    rpc,
    store,
    decoder: registryDecoder(deployment),
    deployment: storeIdentity(deployment),
    // The genesis' chain id: the L2 chain whose votes this node signs or checks.
    l2ChainId: Number(genesis.chainId),
    confirmations: genesis.l1Confirmations,
    maxBlockRange: config.maxBlockRange,
    pollIntervalMs: config.pollIntervalMs,
    logger,
  });
  return {
    config,
    deployment,
    genesis,
    logger,
    store,
    rpc,
    follower,
    async close() {
      await rpc.close();
      await store.close();
    },
  };
}
