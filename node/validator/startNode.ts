import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { applyFinalizedBlock, chainConfig, createChainState, type ChainConfig } from "../chain/chainState";
import { RegistryMirror, registryCodec } from "../chain/registryView";
import { keyPairFromPrivateKey, type KeyPair } from "../chain/signing";
import type { CommitCertificate, FinalizedBlock } from "../chain/types";
import { ConfigError } from "../config/errors";
import { checkGenesisMatchesDeployment, readGenesis } from "../config/genesisFile";
import type { RunConfig } from "../config/runSchema";
import { FileSignStateStore } from "../store/fileSignStateStore";
import { roleOf, type Role } from "../consensus/roles";
import { SignGuard } from "../consensus/signGuard";
import { ConsensusDriver } from "../consensus/consensusDriver";
import { ValidatorCore } from "../consensus/validator";
import { TEST_EQUIVOCATE_ENV, testEquivocationRequested } from "../consensus/testEquivocation";
import { L1Follower } from "../l1/follower";
import { registryDecoder, storeIdentity } from "../l1/registries";
import { createTransport, type RpcTransport } from "../l1/rpc";
import type { Logger } from "../log";
import { ChainHistory } from "./chainHistory";
import { deepReorgReport, isDeepReorg } from "./l1Halt";
import type { L1Error } from "../l1/errors";
import type { L1HaltReport } from "../rpc/nodeView";
import { ChainNodeView } from "./chainNodeView";
import { TokenDisplayReader } from "../l1/tokenDisplay";
import { L1RegistryEventSource } from "./l1EventSource";
import { Mempool } from "../chain/mempool";
import { PowMiner } from "./powMiner";
import { CONSENSUS_TOPIC, EVIDENCE_TOPIC, ProcessPorts, TRANSACTION_TOPIC } from "./processPorts";
import { evidenceTopicHandler } from "./evidenceTopic";
import { openEvidenceSubmitter, type CommittedEvidence, type EvidenceSubmitter } from "./evidenceSubmitter";
import { EvidencePool } from "../chain/evidencePool";
import type { Evidence } from "../chain/evidence";
import { Syncer, serveSyncRequests } from "./syncer";
import { nodeSyncSettings } from "./syncProtocol";
import { defaultP2PConfig } from "../p2p/p2pConfig";
import { P2PNetwork } from "../p2p/p2pNetwork";
import { VALIDATION_OF, ValidationResult } from "../p2p/validationResult";
import { dashboardPages } from "../rpc/dashboardPages";
import { RoleCode, createNodeMetrics, type NodeMetrics } from "../rpc/nodeMetrics";
import { nodeRpcMethods } from "../rpc/nodeRpcMethods";
import { startRpcServer, type RunningRpcServer } from "../rpc/rpcServer";
import { ChainStore } from "../store/chainStore";
import { L1Store } from "../store/l1Store";
import { loadDeployment, type Deployment } from "../types/deployment";
import { decodeConsensusMessage, maxConsensusMessageBytes, WireDecodeError } from "../consensus/messageCodec";
import { maxFrameBytesForChain } from "./frameBudget";
import { decodeTransaction } from "../chain/transaction";

/** Pending transactions, and bytes, one account may hold in the mempool. */
const MEMPOOL_MAX_PER_ACCOUNT = 256;
const MEMPOOL_MAX_BYTES_PER_ACCOUNT = 1024 * 1024;
const SOURCE_REFRESH_MS = 100;
const METRICS_REFRESH_MS = 1000;

/** A running node: its endpoints, and how to stop it. `fatal` rejects if it must stop on its own. */
export interface RunningNode {
  readonly rpcUrl: string;
  readonly p2pPort: number;
  readonly nodeId: string;
  readonly fatal: Promise<never>;
  stop(): Promise<void>;
}

/**
 * The composition root: the only place that creates I/O objects. config → store (LevelDB), L1
 * follower, chain state rebuilt from the stored blocks, P2P, the consensus driver around
 * ValidatorCore, mempool, sync, JSON-RPC + dashboard + /metrics.
 */
export async function startNode(
  config: RunConfig,
  key: KeyPair | null,
  log: Logger,
  /** Where the TEST ONLY equivocation switch is read (REPCHAIN_TEST_EQUIVOCATE); in-process tests pass their own. */
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningNode> {
  const genesis = readGenesis(config.genesis);
  const deployment = loadDeployment(config.deployment);
  checkGenesisMatchesDeployment(genesis, deployment);
  const chain = chainConfig(genesis, registryCodec);
  mkdirSync(config.dataDir, { recursive: true });
  const l1Store = await L1Store.open(join(config.dataDir, "db"));
  const io = await openIo(config, deployment, chain, l1Store, log);
  try {
    return await assemble(config, key, chain, io, log, env);
  } catch (err) {
    await io.close();
    throw err;
  }
}

interface NodeIo {
  readonly rpc: RpcTransport;
  readonly l1Store: L1Store;
  readonly chainStore: ChainStore;
  readonly follower: L1Follower;
  readonly source: L1RegistryEventSource;
  readonly followerDone: Promise<void>;
  /** Submits committed vote evidence to L1, if the config names an account (evidenceSubmitter.ts). */
  readonly evidenceSubmitter: EvidenceSubmitter | null;
  close(): Promise<void>;
}

async function openIo(
  config: RunConfig,
  deployment: Deployment,
  chain: ChainConfig,
  l1Store: L1Store,
  log: Logger,
): Promise<NodeIo> {
  // First: a bad submitter key is a config error, before anything is started that must be stopped.
  const submitter = await openEvidenceSubmitter(
    config.evidenceSubmitter,
    config.rpcUrl,
    deployment.candidateRegistry,
    l1Store.db,
    log.child({ module: "evidence" }),
  );
  const rpc = createTransport(config.rpcUrl, config.rpcTimeoutMs);
  const follower = new L1Follower({
    rpc,
    store: l1Store,
    decoder: registryDecoder(deployment),
    deployment: storeIdentity(deployment),
    // The genesis' chain id: the L2 chain whose votes this node signs or checks.
    l2ChainId: Number(chain.genesis.chainId),
    confirmations: chain.genesis.l1Confirmations,
    maxBlockRange: config.maxBlockRange,
    pollIntervalMs: config.pollIntervalMs,
    logger: log.child({ module: "l1" }),
  });
  const abort = new AbortController();
  const followerDone = follower.run(abort.signal);
  followerDone.catch(() => undefined);
  const source = new L1RegistryEventSource(follower, rpc, chain.genesis.l1.deploymentBlock);
  return {
    evidenceSubmitter: submitter?.submitter ?? null,
    rpc,
    l1Store,
    chainStore: new ChainStore(l1Store.db),
    follower,
    source,
    followerDone,
    async close() {
      await submitter?.close();
      abort.abort();
      await followerDone.catch(() => undefined);
      await rpc.close();
      await l1Store.close();
    },
  };
}

/** Rebuilds the chain state from the stored blocks (verified when they were stored). */
async function replayChain(chain: ChainConfig, store: ChainStore, history: ChainHistory, log: Logger) {
  const governance = new RegistryMirror();
  const state = createChainState(chain, governance);
  let headCertificate: CommitCertificate | null = null;
  for await (const finalized of store.replay()) {
    if (finalized.block.header.parentHash !== state.headHash) {
      throw new ConfigError("dataDir", `stored block ${finalized.block.header.height} is not on this genesis' chain`);
    }
    const members = history.representatives(finalized.block.header.epoch) ?? [];
    applyFinalizedBlock(chain, state, finalized.block);
    history.record(finalized, members, state.excludedAtLastElection);
    headCertificate = finalized.certificate;
  }
  log.info({ height: state.height, head: state.headHash }, "chain state rebuilt from the store");
  return { state, governance, headCertificate };
}

/** TEST ONLY: the key to equivocate with if REPCHAIN_TEST_EQUIVOCATE=1, announced as loudly as the log allows. */
function testEquivocationKey(key: KeyPair | null, log: Logger, env: NodeJS.ProcessEnv): KeyPair | null {
  if (!testEquivocationRequested(env)) return null;
  if (key === null) {
    log.error({ env: TEST_EQUIVOCATE_ENV }, "TEST ONLY equivocation switch set on a node without a key: ignored");
    return null;
  }
  log.error(
    { env: TEST_EQUIVOCATE_ENV, address: key.address },
    "TEST ONLY: this node EQUIVOCATES on purpose (a second, conflicting signature for every vote); it will be jailed and slashed",
  );
  return key;
}

async function assemble(
  config: RunConfig,
  key: KeyPair | null,
  chain: ChainConfig,
  io: NodeIo,
  log: Logger,
  env: NodeJS.ProcessEnv,
): Promise<RunningNode> {
  const history = new ChainHistory(chain);
  const { state, governance, headCertificate } = await replayChain(chain, io.chainStore, history, log);
  // A node without a signing key still proves an identity to its peers: a fresh key per run.
  const nodeKey = key ?? keyPairFromPrivateKey(new Uint8Array(randomBytes(32)));
  const nodeId = nodeKey.address;
  const mempool = new Mempool(chain.genesis.chainId, {
    maxTransactions: config.mempoolMaxTransactions,
    maxPerAccount: MEMPOOL_MAX_PER_ACCOUNT,
    maxBytes: config.mempoolMaxBytes,
    maxBytesPerAccount: MEMPOOL_MAX_BYTES_PER_ACCOUNT,
    maxTransactionBytes: chain.genesis.maxTransactionBytes,
    ttlMs: config.mempoolTtlMs,
  });
  const guard =
    key === null ? null : new SignGuard(key, new FileSignStateStore(join(config.dataDir, "sign-state.json")));
  const testEquivocateWith = testEquivocationKey(key, log, env);
  const core = new ValidatorCore({
    config: chain,
    state,
    source: io.source,
    guard,
    timeouts: {
      proposeMs: config.proposeTimeoutMs,
      prevoteMs: config.prevoteTimeoutMs,
      precommitMs: config.precommitTimeoutMs,
      roundDeltaMs: config.roundDeltaMs,
    },
    mempool,
    evidencePool: new EvidencePool(chain),
    proposerMaxTransactions: config.proposerMaxTransactions,
    headCertificate,
    ...(testEquivocateWith === null ? {} : { testEquivocateWith }),
  });
  const p2p = new P2PNetwork(
    {
      ...defaultP2PConfig,
      host: config.p2pHost,
      port: config.p2pPort,
      nodeKey,
      chainId: chain.genesis.chainId,
      genesisHash: chain.genesisHash,
      bootnodes: config.bootnodes,
      // The frame limit follows the block budget: a maximum-size proposal or sync answer fits.
      maxFrameBytes: maxFrameBytesForChain(chain.genesis),
    },
    log.child({ module: "p2p" }),
  );
  const miner = key === null ? null : new PowMiner(config.powThreads);
  const applied = new Set<(finalized: FinalizedBlock) => void>();
  const fatal = new Set<(err: Error) => void>();
  const ports = new ProcessPorts(
    p2p,
    io.source,
    miner,
    (f) => io.chainStore.append(f),
    log.child({ module: "consensus" }),
    {
      applied: (finalized) => applied.forEach((fn) => fn(finalized)),
      fatal: (err) => fatal.forEach((fn) => fn(err)),
    },
  );
  const driver = new ConsensusDriver(core, ports);
  const syncer = new Syncer(p2p, driver, nodeSyncSettings(config.syncIntervalMs), log.child({ module: "sync" }));
  const metrics = createNodeMetrics();
  const parts = {
    config,
    key,
    chain,
    io,
    log,
    history,
    governance,
    mempool,
    core,
    p2p,
    miner,
    driver,
    ports,
    syncer,
    onApplied: applied,
    onFatal: fatal,
    metrics,
    nodeId,
    l1Halt: null,
    l1Halted: false,
  };
  return launch(parts);
}

interface Parts {
  readonly config: RunConfig;
  readonly key: KeyPair | null;
  readonly chain: ChainConfig;
  readonly io: NodeIo;
  readonly log: Logger;
  readonly history: ChainHistory;
  readonly governance: RegistryMirror;
  readonly mempool: Mempool;
  readonly core: ValidatorCore;
  readonly p2p: P2PNetwork;
  readonly miner: PowMiner | null;
  readonly driver: ConsensusDriver;
  readonly ports: ProcessPorts;
  readonly syncer: Syncer;
  /** Listeners of the driver's applied blocks and of a fatal store failure. */
  readonly onApplied: Set<(finalized: FinalizedBlock) => void>;
  readonly onFatal: Set<(err: Error) => void>;
  readonly metrics: NodeMetrics;
  readonly nodeId: string;
  /** Set when a deep L1 reorg stopped the import (the node keeps serving RPC). */
  l1Halt: L1HaltReport | null;
  l1Halted: boolean;
}

/** Wires the parts together, opens the sockets and starts consensus. */
async function launch(p: Parts): Promise<RunningNode> {
  let fail: (err: Error) => void = () => undefined;
  const fatal = new Promise<never>((_resolve, reject) => (fail = reject));
  fatal.catch(() => undefined);
  p.io.followerDone.then(
    () => undefined,
    (err: Error) => (isDeepReorg(err) ? haltImport(p, err) : fail(err)),
  );
  p.onFatal.add((err) => fail(err));
  onApplied(p);
  subscribeTopics(p);
  p.p2p.on("peer:connect", () => p.driver.resendOwnMessages());
  const syncer = p.syncer;
  serveSyncRequests(p.p2p, p.io.chainStore);
  const p2pPort = await p.p2p.start();
  const token = new TokenDisplayReader(p.io.rpc, p.chain.genesis.l1.votingToken);
  const refresh = setInterval(() => {
    void p.io.source.refresh().catch(() => undefined);
    void token.read();
  }, SOURCE_REFRESH_MS);
  const view = new ChainNodeView({
    nodeId: p.nodeId,
    address: p.key?.address ?? null,
    config: p.chain,
    core: p.core,
    governance: p.governance,
    store: p.io.chainStore,
    history: p.history,
    source: p.io.source,
    follower: p.io.follower,
    p2p: p.p2p,
    mempool: p.mempool,
    submitTransaction: (tx) => p.driver.submitTransaction(tx).result,
    l1Halt: () => p.l1Halt,
    evidenceOutcome: (hash) => p.io.evidenceSubmitter?.outcome(hash),
    votingToken: () => token.display,
  });
  const server = await startRpcServer({
    host: p.config.rpcHost,
    port: p.config.rpcPort,
    methods: nodeRpcMethods(view),
    metrics: p.metrics.registry,
    pages: dashboardPages(),
    // Fastify logs every request at info: keep the node's log for the chain.
    log: p.log.child({}, { level: "warn" }),
  });
  const metricsTimer = setInterval(() => updateMetrics(p, view), METRICS_REFRESH_MS);
  // Evidence committed before a restart that this node has not finished with on L1 (the store knows).
  const replayed = [...p.core.state.jail.committed.values()].map((c) => c.evidence);
  p.io.evidenceSubmitter?.add(committedEvidence(p, replayed));
  // Consensus and sync wait for the follower's check of the stored L1 history: after a restart the
  // stored confirmed head may be on a fork L1 abandoned meanwhile, and blocks must not be built on it.
  // The event source then takes the checked confirmed head at once (a restarted proposer of an
  // epoch's last block needs its anchor), not at its next periodic refresh.
  let stopping = false;
  p.io.follower.checked.then(
    async () => {
      await p.io.source.refresh().catch(() => false);
      if (stopping || p.l1Halted) return;
      syncer.start();
      p.driver.start();
    },
    () => undefined, // a halt: haltImport or fail() reports it
  );
  p.log.info(
    { nodeId: p.nodeId, rpc: server.url, p2pPort, height: p.core.state.height, role: roleFor(p) },
    "node started",
  );
  const stop = () => {
    stopping = true;
    return shutdown(p, syncer, server, [refresh, metricsTimer]);
  };
  return { rpcUrl: server.url, p2pPort, nodeId: p.nodeId, fatal, stop };
}

/**
 * L1 reorganised below the follower's confirmed head: blocks the chain may have anchored to are gone.
 * Going on would mean building on (or importing blocks anchored to) a history L1 no longer has, so
 * the node stops consensus and sync — it signs nothing more — and keeps its RPC, dashboard and
 * /metrics up to say so, with the exact blocks and what the operator must do (docs/follower.md).
 */
function haltImport(p: Parts, err: L1Error): void {
  p.l1Halted = true;
  p.syncer.stop();
  p.driver.stop();
  p.metrics.l1Halted.set(1);
  void deepReorgReport(err, p.core.state, p.chain.genesis.l1Confirmations, p.io.rpc, Date.now()).then((report) => {
    p.l1Halt = report;
    p.log.error(report, "L1 reorganised below the confirmed head: import stopped");
  });
}

/** Committed evidence with the L1 candidate holding its key now (null: none; jailed on L2 only). */
function committedEvidence(p: Parts, evidence: readonly Evidence[]): CommittedEvidence[] {
  return evidence.map((e) => ({ evidence: e, candidate: p.governance.registrationOfKey(e.signer)?.candidate ?? null }));
}

function roleFor(p: Parts): Role {
  return p.key === null ? "ordinary" : roleOf(p.core.state, p.key.address);
}

/** Bookkeeping after each applied block: history, mempool, metrics, role switches. */
function onApplied(p: Parts): void {
  let role = roleFor(p);
  let proposedAt = Date.now();
  p.onApplied.add((finalized) => {
    const h = finalized.block.header;
    const now = Date.now();
    p.io.evidenceSubmitter?.add(committedEvidence(p, finalized.block.body.evidence));
    p.syncer.onHead(h.height);
    p.history.record(finalized, p.history.representatives(h.epoch) ?? [], p.core.state.excludedAtLastElection, now);
    p.metrics.blocksVerified.inc();
    p.metrics.finalityLatency.observe(Math.max(0, now - Math.max(h.timestamp, proposedAt)) / 1000);
    proposedAt = now;
    const next = roleFor(p);
    if (next !== role) p.log.info({ from: role, to: next, height: h.height + 1 }, "role changed");
    role = next;
    p.log.info(
      {
        height: h.height,
        epoch: h.epoch,
        round: h.round,
        txs: finalized.block.body.transactions.length,
        latencyMs: now - h.timestamp,
      },
      "block finalized",
    );
  });
}

function subscribeTopics(p: Parts): void {
  p.p2p.subscribe(CONSENSUS_TOPIC, async (data, from) => {
    let message;
    try {
      message = decodeConsensusMessage(data, maxConsensusMessageBytes(p.chain.genesis.maxBlockBytes));
    } catch (err) {
      if (err instanceof WireDecodeError) return ValidationResult.Reject;
      throw err;
    }
    return new Promise<ValidationResult>((resolve) =>
      p.driver.onMessage(message, from.nodeId, "gossip", (verdict) => resolve(VALIDATION_OF[verdict])),
    );
  });
  const evidence = evidenceTopicHandler((e) => p.driver.submitEvidence(e), p.log.child({ module: "evidence" }));
  p.p2p.subscribe(EVIDENCE_TOPIC, (data, from) => VALIDATION_OF[evidence(data, from)]);
  // A transaction is forwarded by the gossip layer on ACCEPT (the driver publishes only local ones).
  p.p2p.subscribe(TRANSACTION_TOPIC, (data, from) => {
    let tx;
    try {
      tx = decodeTransaction(data);
    } catch {
      return ValidationResult.Reject;
    }
    return VALIDATION_OF[p.driver.submitTransaction(tx, from.nodeId).verdict];
  });
}

function updateMetrics(p: Parts, view: ChainNodeView): void {
  const status = view.status();
  p.metrics.height.set(status.height);
  p.metrics.epoch.set(status.epoch);
  const role = roleFor(p);
  p.metrics.role.set(
    role === "representative" ? RoleCode.Representative : role === "candidate" ? RoleCode.Candidate : RoleCode.Ordinary,
  );
  p.metrics.l1Block.set(status.l1.confirmedBlock);
  p.metrics.l1Lag.set(status.l1.lagBlocks);
  p.metrics.peers.set(status.peers.length);
  p.metrics.mempoolSize.set(status.mempoolSize);
  if (p.miner !== null) p.metrics.powHashRate.set(p.miner.hashRate);
}

async function shutdown(p: Parts, syncer: Syncer, server: RunningRpcServer, timers: NodeJS.Timeout[]) {
  for (const t of timers) clearInterval(t);
  syncer.stop();
  p.driver.stop();
  p.ports.stop();
  await p.miner?.stop();
  await p.p2p.stop();
  await server.close();
  await p.io.chainStore.flush();
  await p.io.close();
  p.log.info({ height: p.core.state.height }, "node stopped");
}
