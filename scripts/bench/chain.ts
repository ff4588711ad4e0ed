/**
 * `npm run bench:chain`: the validator chain's figures on this machine.
 *   1. PoW: hashes/s of the worker thread.
 *   2. Sync: blocks/s a node imports (wire decode + full verification incl. a 7-representative
 *      certificate + apply), over 10,000 blocks generated in-process with real signatures.
 *   3. Separate processes on 127.0.0.1 (`repchain run`, in-process Hardhat L1): blocks/s and
 *      finality latency (median, p99) with 4 and 7 representatives; signed transactions per
 *      second sustained with 4; how many precommits the lastCommits carry (the downtime rule's input).
 *   4. (BENCH_CHAIN_PARTS=paced4, not by default) 4 representatives whose PoW takes a few hundred ms a
 *      block: how many precommits the lastCommits carry when a proposer mines for a while.
 * Env: BENCH_SYNC_BLOCKS (10000), BENCH_SECONDS (30) per cluster run, BENCH_CHAIN_PARTS (pow,sync,tx4,final7; paced4 on request).
 */
import hre from "hardhat";
import { testGenesis } from "../../node/testing/genesis";
import { mkdtempSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { ethers } from "ethers";
import { applyFinalizedBlock, chainConfig, createChainState } from "../../node/chain/chainState";
import { MAX_TARGET } from "../../node/chain/pow";
import { RegistryMirror, registryCodec } from "../../node/chain/registryView";
import { encodeTransaction } from "../../node/chain/transaction";
import { keyPairFromPrivateKey } from "../../node/chain/signing";
import { signTransaction } from "../../node/chain/transaction";
import { ValidatorCore } from "../../node/consensus/validator";
import { PowMiner } from "../../node/validator/powMiner";
import { buildBlockTemplate } from "../../node/chain/produceBlock";
import { decodeFinalizedBlocks, encodeFinalizedBlocks } from "../../node/consensus/messageCodec";
import { type Fixture } from "../../node/testing/chainFixture";
import { StaticL1 } from "../../node/testing/staticL1";
import { testKey } from "../../node/testing/keys";
import { certifiedChain } from "../../node/testing/certifiedChain";
import { Cluster, rpcCall } from "../../node/testing/processCluster";
import { startDevnet } from "../../node/testing/hardhatServer";
import { deployRegistries } from "../../node/testing/registries";
import { runCli } from "../../node/testing/cli";
import { reportFigure } from "./figure";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);

async function benchPow(): Promise<void> {
  const f = fixtureWith(4, 1n);
  const header = buildBlockTemplate(f.config, f.state, {
    proposer: f.keys[1].address,
    round: 0,
    nowMs: 2_000_000,
    source: f.l1,
    transactions: [],
    maxEvents: 1,
    lastCommit: null,
  }).header;
  const miner = new PowMiner();
  // Start and warm the worker first: under load a cold worker may not report within the window (NaN hashes/s).
  await miner.mine({ ...header, powTarget: MAX_TARGET });
  const job = miner.mine(header);
  await new Promise((r) => setTimeout(r, 3000));
  miner.cancel();
  const result = await job;
  await miner.stop();
  console.log(`PoW worker: ${Math.round((result.hashes * 1000) / result.ms).toLocaleString()} hashes/s (1 thread)`);
}

function fixtureWith(reps: number, target: bigint): Fixture {
  const keys = Array.from({ length: reps + 2 }, (_, i) => testKey(i + 1));
  const genesis = testGenesis(
    keys.slice(0, reps).map((k) => k.address),
    { epochLength: 1_000_000, initialPowTarget: target },
  );
  const config = chainConfig(genesis, registryCodec);
  return { keys, genesis, config, state: createChainState(config, new RegistryMirror()), l1: new StaticL1() };
}

async function benchSync(): Promise<void> {
  const count = Number(process.env.BENCH_SYNC_BLOCKS ?? 10_000);
  const f = fixtureWith(7, MAX_TARGET >> 4n);
  let t = Date.now();
  const blocks = certifiedChain(f, count, 1);
  console.log(`sync: generated ${count} blocks with 7-signature certificates in ${Date.now() - t} ms`);
  const pages: Uint8Array[] = [];
  for (let i = 0; i < blocks.length; i += 64) pages.push(encodeFinalizedBlocks(blocks.slice(i, i + 64)));
  const state = createChainState(f.config, new RegistryMirror());
  const core = new ValidatorCore({
    config: f.config,
    state,
    source: f.l1,
    guard: null,
    timeouts: { proposeMs: 1e9, prevoteMs: 1e9, precommitMs: 1e9, roundDeltaMs: 0 },
  });
  core.start(0);
  t = Date.now();
  for (const page of pages) {
    for (const finalized of decodeFinalizedBlocks(page, 64, 1 << 30)) {
      const effects = core.onMessage({ type: "commit", finalized }, "peer", Date.now());
      if (effects.some((e) => e.type === "invalid")) throw new Error(`block ${finalized.block.header.height} refused`);
    }
  }
  const ms = Date.now() - t;
  if (state.height !== count) throw new Error(`synced ${state.height} of ${count}`);
  console.log(`sync: ${count} blocks verified and applied in ${ms} ms = ${Math.round((count * 1000) / ms)} blocks/s`);
  const rate = (count * 1000) / ms;
  const what = `sync ${count} blocks, 7-signature certificates (wire decode + verify + apply)`;
  reportFigure({ key: "chain.sync", what, value: rate, unit: "blocks/s", aim: "≥ 1,000", met: rate >= 1000 });
  void applyFinalizedBlock;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** `paced`: a PoW that takes a proposer a few hundred ms (as at the genesis's 500 ms block time), not a trivial one. */
async function benchCluster(reps: number, withTransactions: boolean, paced = false): Promise<void> {
  const devnet = await startDevnet();
  const r = await deployRegistries(BigInt(reps));
  const dir = mkdtempSync(join(tmpdir(), "repchain-bench-"));
  writeFileSync(join(dir, "deployment.json"), JSON.stringify(r.deployment));
  const keys = Array.from({ length: reps }, (_, i) => ethers.id(`bench rep ${i}`));
  const init = await runCli([
    "init",
    "--deployment",
    join(dir, "deployment.json"),
    "--out",
    join(dir, "genesis.json"),
    "--representatives",
    keys.map((k) => new ethers.Wallet(k).address).join(","),
    "--epoch-length",
    "1000",
    // Paced: about 100,000 hashes a block, a few hundred ms of one worker thread here.
    "--pow-difficulty",
    paced ? "100000" : "1024",
    "--l1-confirmations",
    "0",
  ]);
  if (init.code !== 0) throw new Error(init.stderr);
  const cluster = new Cluster(dir, join(dir, "genesis.json"), join(dir, "deployment.json"), devnet.url);
  try {
    for (let i = 0; i < reps; i++) cluster.start(await cluster.add({ key: keys[i], name: `rep${i}` }));
    const watch = cluster.nodes[0];
    for (;;) {
      if ((await cluster.height(watch).catch(() => 0)) >= 3) break;
      await new Promise((res) => setTimeout(res, 500));
    }
    const startLog = watch.log.length;
    const fromHeight = await cluster.height(watch);
    const startedAt = Date.now();
    const sender = withTransactions ? sendTransactions(cluster.nodes[1].rpcUrl, startedAt + SECONDS * 1000) : null;
    await new Promise((res) => setTimeout(res, SECONDS * 1000));
    await sender;
    const lines = watch.log
      .slice(startLog)
      .split("\n")
      .filter((l) => l.includes('"block finalized"'))
      .map((l) => JSON.parse(l) as { latencyMs: number; txs: number });
    const latencies = lines.map((l) => l.latencyMs).sort((a, b) => a - b);
    const txs = lines.reduce((s, l) => s + l.txs, 0);
    const seconds = (Date.now() - startedAt) / 1000;
    console.log(
      `${reps} representatives (separate processes): ${(lines.length / seconds).toFixed(2)} blocks/s, ` +
        `finality latency median ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms` +
        (withTransactions ? `, ${Math.round(txs / seconds)} signed tx/s finalized` : ""),
    );
    if (!paced) reportCluster(reps, withTransactions, latencies, txs / seconds);
    const carried = await lastCommitSizes(watch.rpcUrl, fromHeight + 2, await cluster.height(watch));
    const full = carried.filter((n) => n === reps).length;
    console.log(
      `  lastCommits carrying all ${reps} precommits: ${full} of ${carried.length} ` +
        `(${((100 * full) / Math.max(1, carried.length)).toFixed(1)} %), ` +
        `mean ${(carried.reduce((a, b) => a + b, 0) / Math.max(1, carried.length)).toFixed(2)} precommits`,
    );
  } finally {
    await cluster.stopAll();
    await devnet.stop();
  }
}

function reportCluster(reps: number, withTransactions: boolean, sortedLatencies: number[], txPerS: number): void {
  if (withTransactions) {
    const what = `${reps} representatives, signed tx/s finalized`;
    reportFigure({ key: `chain.tx${reps}`, what, value: txPerS, unit: "tx/s", aim: "≥ 1,000", met: txPerS >= 1000 });
    return;
  }
  const median = percentile(sortedLatencies, 50);
  const p99 = percentile(sortedLatencies, 99);
  const what = `${reps} representatives, finality latency`;
  reportFigure({
    key: `chain.median${reps}`,
    what: `${what} median`,
    value: median,
    unit: "ms",
    aim: "≤ 100",
    met: median <= 100,
  });
  reportFigure({
    key: `chain.p99_${reps}`,
    what: `${what} p99`,
    value: p99,
    unit: "ms",
    aim: "≤ 250",
    met: p99 <= 250,
  });
}

/**
 * How many precommits each block's lastCommit carries, for heights from..to: what the downtime
 * rule counts (a member missing from many is jailed), so a slow-but-running member should be in.
 */
async function lastCommitSizes(url: string, from: number, to: number): Promise<number[]> {
  const sizes: number[] = [];
  for (let h = from; h <= to; h++) {
    const block = await rpcCall<{ body: { lastCommit: { signatures: string[] } | null } }>(url, "repchain_getBlock", [
      h,
    ]);
    sizes.push(block.body.lastCommit?.signatures.length ?? 0);
  }
  return sizes;
}

/** Signs transactions from 50 accounts and submits them in JSON-RPC batches of 100 until `until`. */
async function sendTransactions(url: string, until: number): Promise<void> {
  const chainId = 4242n;
  const accounts = Array.from({ length: 50 }, (_, i) => keyPairFromPrivateKey(ethers.getBytes(ethers.id(`tx ${i}`))));
  const nonces = accounts.map(() => 0n);
  let i = 0;
  while (Date.now() < until) {
    const batch = Array.from({ length: 100 }, (_, j) => {
      const a = (i + j) % accounts.length;
      const tx = signTransaction(chainId, accounts[a], nonces[a]++, "0x00");
      return {
        jsonrpc: "2.0",
        id: j,
        method: "repchain_sendTransaction",
        params: [`0x${Buffer.from(encodeTransaction(tx)).toString("hex")}`],
      };
    });
    i += 100;
    await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(batch) });
    const status = await rpcCall<{ mempoolSize: number }>(url, "repchain_status");
    if (status.mempoolSize > 4000) await new Promise((res) => setTimeout(res, 200));
  }
}

async function main(): Promise<void> {
  console.log(
    `machine: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), shared with other jobs; node ${process.version}`,
  );
  void hre;
  // BENCH_CHAIN_PARTS=sync (say) runs only some parts, e.g. to profile one.
  const parts = (process.env.BENCH_CHAIN_PARTS ?? "pow,sync,tx4,final7").split(",");
  if (parts.includes("pow")) await benchPow();
  if (parts.includes("sync")) await benchSync();
  if (parts.includes("tx4")) await benchCluster(4, true);
  if (parts.includes("final7")) await benchCluster(7, false);
  if (parts.includes("paced4")) await benchCluster(4, false, true);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
