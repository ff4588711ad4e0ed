/**
 * npm run bench:ingest — events/s from a local Hardhat node over HTTP (127.0.0.1) into the
 * durable store and the governance tally, against raw eth_getLogs + JSON.parse of the same range.
 *
 *   BENCH_EVENTS   vote events to generate (default 100000)
 *   BENCH_L1       "process" (default): the L1 is `hardhat node` in a process of its own, as a
 *                  node's L1 always is; "in-process": the Hardhat network served from this process,
 *                  whose serving then competes with the follower for this one event loop
 *
 * Prints figures; asserts nothing (targets live in docs/follower.md).
 */
import hre from "hardhat";
import { JsonRpcProvider, type Signer } from "ethers";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyEvents, emptyRegistryState } from "../../node/registry";
import { fetchRange } from "../../node/l1/fetchRange";
import { L1Follower } from "../../node/l1/follower";
import { parseLog, toQuantity } from "../../node/l1/rawTypes";
import { registryDecoder, storeIdentity } from "../../node/l1/registries";
import { HttpTransport } from "../../node/l1/rpc/http";
import { createLogger } from "../../node/log";
import { L1Store } from "../../node/store/l1Store";
import { startSeparateL1 } from "../../node/testing/hardhatNode";
import { startDevnet } from "../../node/testing/hardhatServer";
import { candidateAddresses, deployRegistries, givePower, registerCandidates } from "../../node/testing/registries";
import { reportFigure, reportLimit } from "./figure";

const CANDIDATES = 200;
/** Each voter approves its own 30 candidates (the contract's default cap): revoking and re-approving
 * 30 costs ~470k gas per 60 events, where 200 at once costs ~6.2M per 400 (the ballot search grows). */
const PER_VOTER = 30;
/** Raw reads and follower runs, alternated; the medians are reported. */
const REPEATS = 5;

async function main(): Promise<void> {
  const target = Number(process.env.BENCH_EVENTS ?? 100_000);
  const l1 = await startL1(process.env.BENCH_L1 ?? "process");
  console.log(`L1: ${l1.what}`);
  const t0 = performance.now();
  const r = await deployRegistries(21n, l1.signers[0], l1.network);
  const candidates = candidateAddresses(CANDIDATES, "bench");
  for (let i = 0; i < CANDIDATES; i += 50) await registerCandidates(r, candidates.slice(i, i + 50));
  const voters = l1.signers.slice(1, 11);
  // Weighted votes (issue 10): the token's DelegateVotesChanged events are read and tallied too.
  await givePower(r, voters, 10n ** 18n);
  const perRound = voters.length * 2 * PER_VOTER;
  const rounds = Math.max(0, Math.ceil((target - voters.length * PER_VOTER) / perRound));
  for (let round = 0; round <= rounds; round++) {
    // The voters' transactions at once (each is still mined in a block of its own): fewer round trips.
    const sent = voters.map((voter, v) => {
      const mine = candidates.slice((v * 17) % (CANDIDATES - PER_VOTER)).slice(0, PER_VOTER);
      return r.votes.connect(voter).vote(mine, round === 0 ? [] : mine);
    });
    await Promise.all((await Promise.all(sent)).map((tx) => tx.wait()));
    if (round % 20 === 0) console.log(`round ${round}/${rounds}: ${memory()}`);
  }
  const head = await l1.signers[0].provider!.getBlockNumber();
  console.log(`generated the chain in ${((performance.now() - t0) / 1000).toFixed(1)} s (head ${head}); ${memory()}`);

  // Alternated, and the median of each taken: the two sides see the same machine.
  const raws = [];
  const follows = [];
  for (let i = 0; i < REPEATS; i++) {
    raws.push(await rawGetLogs(l1.url, r.deployment, head));
    follows.push(await followerIngest(l1.url, r.deployment));
  }
  const raw = median(raws, (x) => x.ms);
  const follow = median(follows, (x) => x.ms);
  console.log(
    `raw read ms: ${raws.map((x) => x.ms.toFixed(0)).join(", ")}; follower ms: ${follows.map((x) => x.ms.toFixed(0)).join(", ")} (medians below)`,
  );
  const parts = await breakdown(l1.url, r.deployment, head);
  console.log("");
  console.log(
    `raw eth_getLogs + JSON.parse: ${raw.logs} logs in ${raw.ms.toFixed(0)} ms = ${rate(raw.logs, raw.ms)} logs/s`,
  );
  console.log(
    `  of which shape check + decode: ${raw.decodeMs.toFixed(0)} ms = ${rate(raw.logs, raw.decodeMs)} logs/s`,
  );
  console.log(
    `follower (eth_getLogs → checks → decode → LevelDB batch (sync) → tally): ${follow.events} events in ` +
      `${follow.ms.toFixed(0)} ms = ${rate(follow.events, follow.ms)} events/s`,
  );
  console.log(`  follower / raw: ${((raw.ms / follow.ms) * 100).toFixed(0)} % of the raw read speed`);
  console.log(
    `  tally: ${follow.tallied} candidates with votes; JS heap growth during ingest ${mib(follow.heapGrowthBytes)}`,
  );
  console.log(`  process peak RSS ${mib(follow.rssBytes)}; now ${memory()}`);
  console.log(
    `  breakdown: fetchRange (headers + eth_getLogs + checks + decode) ${parts.fetchMs.toFixed(0)} ms, ` +
      `store batch ${parts.storeMs.toFixed(0)} ms, tally ${parts.tallyMs.toFixed(0)} ms`,
  );
  const rawRate = (raw.logs / raw.ms) * 1000;
  const followRate = (follow.events / follow.ms) * 1000;
  reportLimit("ingest.raw", "raw eth_getLogs + JSON.parse (HTTP)", rawRate, "logs/s");
  reportFigure({
    key: "ingest.follower",
    what: `L1 events into the synced store and tally (L1 ${l1.what})`,
    value: followRate,
    unit: "events/s",
    aim: "≥ 90% of raw",
    met: followRate >= 0.9 * rawRate,
    against: "ingest.raw",
  });
  await l1.stop();
}

/** The L1 to read: `hardhat node` in its own process, or this process' Hardhat network served over HTTP. */
async function startL1(kind: string) {
  if (kind === "in-process") {
    const devnet = await startDevnet();
    const signers: (Signer & { address: string })[] = await hre.ethers.getSigners();
    return { what: "in this process", url: devnet.url, network: hre.network.name, signers, stop: () => devnet.stop() };
  }
  if (kind !== "process") throw new Error(`BENCH_L1 must be "process" or "in-process", got ${kind}`);
  const node = await startSeparateL1();
  const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
  const signers: (Signer & { address: string })[] = await Promise.all(
    Array.from({ length: 11 }, (_, i) => provider.getSigner(i)),
  );
  const stop = async () => {
    provider.destroy();
    await node.stop();
  };
  return { what: "`hardhat node`, its own process", url: node.url, network: "localhost", signers, stop };
}

/** The follower's three phases, timed apart over the whole range. */
async function breakdown(url: string, deployment: Parameters<typeof registryDecoder>[0], head: number) {
  const rpc = new HttpTransport(url, 120_000);
  let t = performance.now();
  const fetched = await fetchRange(rpc, registryDecoder(deployment), deployment.deploymentBlock, head);
  const fetchMs = performance.now() - t;
  const dir = mkdtempSync(join(tmpdir(), "repchain-bench-"));
  const store = await L1Store.open(join(dir, "db"));
  t = performance.now();
  const headers = [...fetched.eventHeaders.values()].map((h) => ({ ...h, eventCount: 0 }));
  await store.advance({ events: fetched.events, headers, cursor: fetched.toHeader, pruneHeaders: [] });
  const storeMs = performance.now() - t;
  t = performance.now();
  applyEvents(emptyRegistryState(), fetched.events);
  const tallyMs = performance.now() - t;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { fetchMs, storeMs, tallyMs };
}

async function rawGetLogs(url: string, deployment: Parameters<typeof registryDecoder>[0], head: number) {
  const decoder = registryDecoder(deployment);
  const body = JSON.stringify({
    jsonrpc: "2.0",
    id: 1,
    method: "eth_getLogs",
    params: [
      {
        fromBlock: toQuantity(deployment.deploymentBlock),
        toBlock: toQuantity(head),
        address: decoder.addresses,
        topics: [decoder.topics],
      },
    ],
  });
  const start = performance.now();
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
  const parsed = JSON.parse(await res.text()) as { result: unknown[] };
  const ms = performance.now() - start;
  const decodeStart = performance.now();
  for (const log of parsed.result) decoder.decode(parseLog(log));
  return { logs: parsed.result.length, ms, decodeMs: performance.now() - decodeStart };
}

async function followerIngest(url: string, deployment: Parameters<typeof registryDecoder>[0]) {
  const dir = mkdtempSync(join(tmpdir(), "repchain-bench-"));
  const store = await L1Store.open(join(dir, "db"));
  const rpc = new HttpTransport(url, 120_000);
  const follower = new L1Follower({
    rpc,
    store,
    decoder: registryDecoder(deployment),
    deployment: storeIdentity(deployment),
    confirmations: 0,
    maxBlockRange: 10_000,
    pollIntervalMs: 1_000,
    logger: createLogger("bench", "warn"),
  });
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  let rssBytes = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    rssBytes = Math.max(rssBytes, m.rss);
    heapPeak = Math.max(heapPeak, m.heapUsed);
  }, 20);
  const start = performance.now();
  while ((await follower.step()) !== "caught-up");
  const ms = performance.now() - start;

  clearInterval(sampler);
  rssBytes = Math.max(rssBytes, process.memoryUsage().rss);
  const events = follower.eventsIngested;
  const tallied = follower.confirmed.state.tally.size;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { events, ms, rssBytes, tallied, heapGrowthBytes: heapPeak - heapBefore };
}

function median<T>(runs: readonly T[], by: (run: T) => number): T {
  return [...runs].sort((a, b) => by(a) - by(b))[Math.floor(runs.length / 2)];
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

function memory(): string {
  const m = process.memoryUsage();
  return `RSS ${mib(m.rss)}, JS heap ${mib(m.heapUsed)}`;
}

function rate(count: number, ms: number): string {
  return Math.round((count * 1000) / ms).toLocaleString("en-US");
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
