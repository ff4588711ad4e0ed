import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ethers } from "ethers";
import pino from "pino";
import { fromHex } from "../../node/chain/bytes";
import { genesisHash, type Genesis } from "../../node/chain/genesis";
import { deploymentGenesis, writeGenesisFile } from "../../node/testing/genesis";
import { MAX_TARGET } from "../../node/chain/pow";
import { keyPairFromPrivateKey, type KeyPair } from "../../node/chain/signing";
import { runConfigSchema } from "../../node/config/runSchema";
import type { Logger } from "../../node/log";
import { startNode, type RunningNode } from "../../node/validator/startNode";
import { FAST_NODE_SETTINGS, rpcCall } from "../../node/testing/processCluster";
import { startDevnet, type Devnet } from "../../node/testing/hardhatServer";
import { deployRegistries } from "../../node/testing/registries";

export const keyOf = (seed: string): KeyPair => keyPairFromPrivateKey(fromHex(ethers.id(seed), 32));

/**
 * Real validator nodes (startNode: LevelDB, sockets, PoW worker, JSON-RPC) inside the test process,
 * on the in-process Hardhat L1: node i dials nodes 0..i-1. Cheaper than child processes on a
 * loaded machine, and the tests can reach into nothing but the nodes' RPC and P2P ports.
 */
export class InProcessChain {
  readonly nodes: RunningNode[] = [];
  readonly keys: KeyPair[];
  private devnet!: Devnet;
  private dir!: string;
  genesis!: Genesis;

  constructor(
    representatives: number,
    private readonly genesisOverrides: Partial<Genesis> = {},
    private readonly log: Logger = pino({ level: "silent" }),
  ) {
    this.keys = Array.from({ length: representatives }, (_, i) => keyOf(`in-process representative ${i}`));
  }

  async setUp(): Promise<void> {
    this.devnet = await startDevnet();
    const r = await deployRegistries(4n);
    this.dir = mkdtempSync(join(tmpdir(), "repchain-inproc-"));
    writeFileSync(join(this.dir, "deployment.json"), JSON.stringify(r.deployment));
    this.genesis = deploymentGenesis(
      r.deployment,
      this.keys.map((k) => k.address),
      {
        epochLength: 1000,
        targetBlockTimeMs: 500,
        initialPowTarget: MAX_TARGET / 64n,
        timestamp: Date.now(),
        ...this.genesisOverrides,
      },
    );
    writeGenesisFile(join(this.dir, "genesis.json"), this.genesis);
  }

  /** Starts a node with `key` (null: an observer) dialing every node started before. */
  async start(key: KeyPair | null, name: string, overrides: Record<string, unknown> = {}): Promise<RunningNode> {
    const config = runConfigSchema.parse({
      rpcUrl: this.devnet.url,
      deployment: join(this.dir, "deployment.json"),
      genesis: join(this.dir, "genesis.json"),
      dataDir: join(this.dir, name),
      p2pPort: 0,
      rpcPort: 0,
      bootnodes: this.nodes.map((n) => `ws://127.0.0.1:${n.p2pPort}`),
      ...FAST_NODE_SETTINGS,
      ...overrides,
    });
    const node = await startNode(config, key, this.log.child({ node: name }));
    this.nodes.push(node);
    return node;
  }

  async startRepresentatives(): Promise<void> {
    for (const [i, key] of this.keys.entries()) await this.start(key, `rep${i}`);
  }

  get genesisHash(): string {
    return genesisHash(this.genesis);
  }

  /** The L1 endpoint the nodes use (put a proxy in front of it through `start`'s overrides). */
  get l1Url(): string {
    return this.devnet.url;
  }

  async tearDown(): Promise<void> {
    await Promise.all(this.nodes.splice(0).map((n) => n.stop().catch(() => undefined)));
    await this.devnet?.stop();
  }

  height(node: RunningNode): Promise<number> {
    return rpcCall<{ height: number }>(node.rpcUrl, "repchain_status").then((s) => s.height);
  }
}
