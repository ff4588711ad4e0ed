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
import { deployRegistries, type Registries } from "../../node/testing/registries";

export const keyOf = (seed: string): KeyPair => keyPairFromPrivateKey(fromHex(ethers.id(seed), 32));

/** An L1 for the nodes: its endpoint and the registries deployed on it (K fixed at 4). */
export interface TestL1 {
  readonly url: string;
  readonly registries: Registries;
  stop(): Promise<void>;
}

/** The in-process Hardhat network, served on a free port. */
export async function hardhatL1(): Promise<TestL1> {
  const devnet: Devnet = await startDevnet();
  return { url: devnet.url, registries: await deployRegistries(4n), stop: () => devnet.stop() };
}

/**
 * Real validator nodes (startNode: LevelDB, sockets, PoW worker, JSON-RPC) inside the test process,
 * on the in-process Hardhat L1 (or the L1 `startL1` gives): node i dials nodes 0..i-1. Cheaper than
 * child processes on a loaded machine, and the tests can reach into nothing but the nodes' RPC and
 * P2P ports.
 */
export class InProcessChain {
  readonly nodes: RunningNode[] = [];
  readonly keys: KeyPair[];
  private l1!: TestL1;
  private dir!: string;
  genesis!: Genesis;

  constructor(
    representatives: number,
    private readonly genesisOverrides: Partial<Genesis> = {},
    private readonly log: Logger = pino({ level: "silent" }),
    private readonly startL1: () => Promise<TestL1> = hardhatL1,
  ) {
    this.keys = Array.from({ length: representatives }, (_, i) => keyOf(`in-process representative ${i}`));
  }

  /** The registries the nodes follow. */
  get registries(): Registries {
    return this.l1.registries;
  }

  async setUp(): Promise<void> {
    this.l1 = await this.startL1();
    const r = this.l1.registries;
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
  async start(
    key: KeyPair | null,
    name: string,
    overrides: Record<string, unknown> = {},
    /** The node's environment for what startNode reads there (the TEST ONLY equivocation switch). */
    env: NodeJS.ProcessEnv = {},
  ): Promise<RunningNode> {
    const config = runConfigSchema.parse({
      rpcUrl: this.l1.url,
      deployment: join(this.dir, "deployment.json"),
      genesis: join(this.dir, "genesis.json"),
      dataDir: join(this.dir, name),
      p2pPort: 0,
      rpcPort: 0,
      bootnodes: this.nodes.map((n) => `ws://127.0.0.1:${n.p2pPort}`),
      ...FAST_NODE_SETTINGS,
      ...overrides,
    });
    const node = await startNode(config, key, this.log.child({ node: name }), env);
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
    return this.l1.url;
  }

  async tearDown(): Promise<void> {
    await Promise.all(this.nodes.splice(0).map((n) => n.stop().catch(() => undefined)));
    await this.l1?.stop();
  }

  height(node: RunningNode): Promise<number> {
    return rpcCall<{ height: number }>(node.rpcUrl, "repchain_status").then((s) => s.height);
  }
}
