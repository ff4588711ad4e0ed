import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** A node on this machine: its folder, its ports, the peers it dials and the shared L1 files. */
export interface LocalNode {
  readonly dir: string;
  readonly l1Url: string;
  readonly deploymentFile: string;
  readonly genesisFile: string;
  readonly p2pPort: number;
  readonly rpcPort: number;
  /** P2P ports of the nodes it dials (on 127.0.0.1). */
  readonly bootnodePorts: readonly number[];
  /** The rest of the `repchain run` config (timeouts, intervals) for this kind of local network. */
  readonly settings: Record<string, unknown>;
}

/**
 * Writes `<dir>/node.json`, the `repchain run` config of a node on 127.0.0.1 with its data in
 * `<dir>/data`, and returns its path. The devnet and the tests' process cluster both lay nodes out so.
 */
export function writeLocalRunConfig(node: LocalNode): string {
  mkdirSync(node.dir, { recursive: true });
  const file = join(node.dir, "node.json");
  const config = {
    rpcUrl: node.l1Url,
    deployment: node.deploymentFile,
    genesis: node.genesisFile,
    dataDir: join(node.dir, "data"),
    p2pPort: node.p2pPort,
    rpcPort: node.rpcPort,
    bootnodes: node.bootnodePorts.map((port) => `ws://127.0.0.1:${port}`),
    ...node.settings,
  };
  writeFileSync(file, JSON.stringify(config, null, 2) + "\n");
  return file;
}
