import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createChainState } from "../../node/chain/chainState";
import { RegistryGovernance } from "../../node/chain/registryView";
import type { FinalizedBlock } from "../../node/chain/types";
import { ConsensusDriver } from "../../node/consensus/consensusDriver";
import { encodeFinalizedBlocksWithin } from "../../node/consensus/messageCodec";
import { ValidatorCore } from "../../node/consensus/validator";
import { defaultP2PConfig, type P2PConfig } from "../../node/p2p/p2pConfig";
import { P2PNetwork } from "../../node/p2p/p2pNetwork";
import { ChainStore } from "../../node/store/chainStore";
import { openDatabase } from "../../node/store/database";
import { ProcessPorts } from "../../node/validator/processPorts";
import { Syncer, serveSyncRequests } from "../../node/validator/syncer";
import {
  SYNC_BLOCKS,
  SYNC_STATUS,
  blocksRequestSchema,
  decodeJson,
  encodeJson,
  nodeSyncSettings,
} from "../../node/validator/syncProtocol";
import { certifiedChain } from "../../node/testing/certifiedChain";
import { fixture, type Fixture } from "../../node/testing/chainFixture";
import { testKey } from "../../node/testing/keys";
import { memoryLogger } from "../helpers/memoryLogger";

const CHAIN_LENGTH = 128;

/**
 * A fresh node syncing over real WebSockets and LevelDB from one honest peer (a store holding 128
 * certified blocks, served by the node's own serveSyncRequests) and one lying peer, which dials
 * first. Before the sync state machine this node stayed at height 0 of 128 after 60 s.
 */
describe("Syncer: a fresh node with one lying and one honest peer (real sockets)", function () {
  this.timeout(120_000);
  let f: Fixture;
  let chain: FinalizedBlock[];
  let dir: string;
  const cleanup: (() => Promise<void>)[] = [];

  before(() => {
    f = fixture();
    chain = certifiedChain(f, CHAIN_LENGTH, 1);
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "repchain-sync-"));
  });

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Node ids are the addresses of the keys each peer proves in the handshake. */
  const KEYS = { honest: testKey(11), liar: testKey(12), fresh: testKey(13) };
  const nameOf = (nodeId: unknown) =>
    Object.entries(KEYS).find(([, key]) => key.address === nodeId)?.[0] ?? String(nodeId);

  function p2pConfig(name: keyof typeof KEYS, bootnodes: string[] = []): P2PConfig {
    return {
      ...defaultP2PConfig,
      nodeKey: KEYS[name],
      chainId: f.config.genesis.chainId,
      genesisHash: f.config.genesisHash,
      bootnodes,
    };
  }

  async function openStore(name: string): Promise<ChainStore> {
    const db = await openDatabase(join(dir, name));
    const store = new ChainStore(db);
    cleanup.push(async () => {
      await store.flush();
      await db.close();
    });
    return store;
  }

  async function startNetwork(config: P2PConfig): Promise<{ net: P2PNetwork; url: string }> {
    const net = new P2PNetwork(config, memoryLogger().logger);
    const port = await net.start();
    cleanup.push(() => net.stop());
    return { net, url: `ws://127.0.0.1:${port}` };
  }

  async function honestPeer(): Promise<string> {
    const store = await openStore("honest");
    for (const finalized of chain) await store.append(finalized);
    const { net, url } = await startNetwork(p2pConfig("honest"));
    serveSyncRequests(net, store);
    return url;
  }

  /** A peer that claims `claim` and answers block requests with `serve` (never, if it never resolves). */
  async function lyingPeer(claim: () => number, serve: (request: Uint8Array) => Promise<Uint8Array>): Promise<string> {
    const { net, url } = await startNetwork(p2pConfig("liar"));
    net.handle(SYNC_STATUS, async () => encodeJson({ height: claim() }));
    net.handle(SYNC_BLOCKS, serve);
    return url;
  }

  /** The node under test: the production driver, ports, syncer and store, without a key. */
  async function freshNode(bootnodes: string[]) {
    const { logger, lines } = memoryLogger();
    const store = await openStore("fresh");
    const { net } = await startNetwork(p2pConfig("fresh", bootnodes));
    const state = createChainState(f.config, new RegistryGovernance());
    const core = new ValidatorCore({
      config: f.config,
      state,
      source: f.l1,
      guard: null,
      timeouts: { proposeMs: 1000, prevoteMs: 500, precommitMs: 500, roundDeltaMs: 100 },
    });
    const ports = new ProcessPorts(net, { ensureRefs: async () => undefined }, null, (b) => store.append(b), logger, {
      // Called only once the driver runs, after `syncer` exists.
      applied: (finalized) => syncer.onHead(finalized.block.header.height),
      fatal: (err) => expect.fail(`store write failed: ${err.message}`),
    });
    const driver = new ConsensusDriver(core, ports);
    const syncer = new Syncer(net, driver, nodeSyncSettings(300), logger);
    serveSyncRequests(net, store);
    syncer.start();
    driver.start();
    cleanup.push(async () => {
      syncer.stop();
      driver.stop();
      ports.stop();
    });
    return { state, store, lines };
  }

  async function until(what: string, timeoutMs: number, check: () => boolean): Promise<number> {
    const start = Date.now();
    while (!check()) {
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return Date.now() - start;
  }

  const penalties = (lines: Record<string, unknown>[], peer: string) =>
    lines.filter((l) => l.msg === "sync peer penalised" && nameOf(l.peer) === peer).map((l) => l.fault);

  it("with one honest peer alone, the node syncs all 128 blocks and stores them (the baseline)", async () => {
    const node = await freshNode([await honestPeer()]);
    const took = await until("height 128", 60_000, () => node.state.height === CHAIN_LENGTH);
    expect(node.state.headHash).to.equal(f.state.headHash);
    expect(node.lines.filter((l) => l.msg === "sync peer penalised")).to.deep.equal([]);
    console.log(`      synced ${CHAIN_LENGTH} blocks from one honest peer in ${took} ms`);
  });

  it("a liar claiming 2^53 − 1 that never answers is penalised, and the node syncs all 128 blocks", async () => {
    const liar = await lyingPeer(
      () => Number.MAX_SAFE_INTEGER,
      () => new Promise<Uint8Array>(() => undefined),
    );
    const node = await freshNode([liar, await honestPeer()]);
    const took = await until("height 128", 60_000, () => node.state.height === CHAIN_LENGTH);
    expect(node.state.headHash).to.equal(f.state.headHash);
    await until("the liar's penalty", 15_000, () => penalties(node.lines, "liar").length > 0);
    expect(penalties(node.lines, "liar")).to.include("timeout");
    expect(penalties(node.lines, "honest")).to.deep.equal([]);
    await node.store.flush();
    expect((await node.store.storedHead())?.height, "stored, not only applied").to.equal(CHAIN_LENGTH);
    console.log(`      synced ${CHAIN_LENGTH} blocks in ${took} ms past a liar at 2^53 − 1`);
  });

  it("a liar claiming head + 1 that serves nothing is penalised, and the node syncs all 128 blocks", async () => {
    // The liar reads the fresh node's head and always claims one more.
    const victim: { state?: { height: number } } = {};
    const liar = await lyingPeer(
      () => (victim.state?.height ?? 0) + 1,
      async () => encodeJson([]),
    );
    const current = await freshNode([liar, await honestPeer()]);
    victim.state = current.state;
    await until("height 128", 60_000, () => current.state.height === CHAIN_LENGTH);
    await until("the liar's penalty", 15_000, () => penalties(current.lines, "liar").length > 0);
    expect(penalties(current.lines, "liar")).to.include("not-served");
    expect(penalties(current.lines, "honest")).to.deep.equal([]);
  });
  it("a peer serving forged certificates over the wire is penalised and its blocks dropped; the node syncs", async () => {
    const forged = chain.map((b) => ({ ...b, certificate: { ...b.certificate, signatures: [] } }));
    const liar = await lyingPeer(
      () => CHAIN_LENGTH,
      async (data) => {
        const { from, to, maxBytes } = decodeJson(blocksRequestSchema, data);
        return encodeFinalizedBlocksWithin(forged.slice(from - 1, to), maxBytes);
      },
    );
    const node = await freshNode([liar, await honestPeer()]);
    await until("height 128", 60_000, () => node.state.height === CHAIN_LENGTH);
    expect(node.state.headHash).to.equal(f.state.headHash);
    await until("the liar's penalty", 15_000, () => penalties(node.lines, "liar").length > 0);
    expect(penalties(node.lines, "liar")[0]).to.equal("invalid-block");
    expect(penalties(node.lines, "honest")).to.deep.equal([]);
  });
});
