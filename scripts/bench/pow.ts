import { availableParallelism } from "node:os";
import { keccak256 } from "js-sha3";
import { ZERO_HASH } from "../../node/chain/bytes";
import { POW_PREIMAGE_BYTES } from "../../node/chain/pow";
import type { BlockHeader } from "../../node/chain/types";
import { PowMiner } from "../../node/validator/powMiner";
import { reportFigure, reportLimit } from "./figure";

/**
 * `npm run bench:pow`: the node's PoW search (PowMiner, worker threads, an unreachable target mined
 * for a fixed time then abandoned) against the raw keccak rate of the same 40-byte preimage measured in
 * the same run on the main thread — the limit a search can reach per core. Prints both and the ratio,
 * then the rate with POW_THREADS workers (default: the machine's cores) and its scaling.
 */
const HEADER: BlockHeader = {
  chainId: 1337n,
  height: 1,
  epoch: 0,
  round: 0,
  parentHash: ZERO_HASH,
  timestamp: 1,
  proposer: `0x${"aa".repeat(20)}`,
  l1AnchorNumber: 0,
  l1AnchorHash: ZERO_HASH,
  eventsRoot: ZERO_HASH,
  evidenceRoot: ZERO_HASH,
  txRoot: ZERO_HASH,
  electionResultHash: ZERO_HASH,
  lastCommitHash: ZERO_HASH,
  powTarget: 1n,
  nonce: 0n,
};

/** keccak256 of a reused preimage whose nonce changes, as fast as a plain loop goes: the limit. */
function rawKeccakRate(seconds: number): number {
  const preimage = new Uint8Array(POW_PREIMAGE_BYTES);
  const view = new DataView(preimage.buffer);
  let sink = 0;
  let n = 0;
  const end = Date.now() + seconds * 1000;
  const started = process.hrtime.bigint();
  while (Date.now() < end) {
    for (let i = 0; i < 4096; i++, n++) {
      view.setUint32(36, n);
      sink ^= new Uint8Array(keccak256.arrayBuffer(preimage))[0];
    }
  }
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  if (sink === -1) console.log(sink); // keeps the hashes from being optimised away
  return n / elapsed;
}

async function minerRate(threads: number, seconds: number): Promise<number> {
  const miner = new PowMiner(threads);
  await miner.mine({ ...HEADER, powTarget: 1n << 250n }); // start and warm the workers
  const job = miner.mine(HEADER); // an unreachable target: it searches until cancelled
  await new Promise((r) => setTimeout(r, seconds * 1000));
  miner.cancel();
  const { hashes, ms } = await job;
  await miner.stop();
  return (hashes * 1000) / ms;
}

async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const threads = Number(process.env.POW_THREADS ?? availableParallelism());
  const raw = rawKeccakRate(seconds);
  const one = await minerRate(1, seconds);
  const many = threads > 1 ? await minerRate(threads, seconds) : one;
  const row = (what: string, rate: number, ratio: string) =>
    console.log(`${what.padEnd(44)} ${Math.round(rate).toLocaleString("en").padStart(10)} /s   ${ratio}`);
  row(`raw keccak, ${POW_PREIMAGE_BYTES}-byte preimage, main thread (limit)`, raw, "");
  row("PowMiner, 1 worker thread", one, `${((one / raw) * 100).toFixed(0)}% of raw (aim ≥ 90%)`);
  row(`PowMiner, ${threads} worker threads`, many, `${(many / one).toFixed(2)}× one thread`);
  reportLimit("keccak.raw", `raw keccak of the ${POW_PREIMAGE_BYTES}-byte preimage, 1 core`, raw, "/s");
  reportFigure({
    key: "pow.oneWorker",
    what: "PoW hashes, 1 worker thread",
    value: one,
    unit: "/s",
    aim: "≥ 90% of raw keccak",
    met: one >= 0.9 * raw,
    against: "keccak.raw",
  });
}

void main();
