import { ZERO_HASH } from "../../node/chain/bytes";
import { encodeHeader, headerHash } from "../../node/chain/headerCodec";
import type { BlockHeader } from "../../node/chain/types";
import { WorkerMiner } from "../../node/chain/workerMiner";

/**
 * `npm run bench:pow`: PoW hashes per second of the worker thread (an unreachable target, mined
 * for a fixed time, then abandoned), beside a plain header-hash loop on the main thread.
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
  txRoot: ZERO_HASH,
  electionResultHash: ZERO_HASH,
  powTarget: 1n,
  nonce: 0n,
};

async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const miner = new WorkerMiner();
  await miner.mine({ ...HEADER, powTarget: 1n << 250n }); // start and warm the worker
  const before = miner.totalHashes;
  const started = process.hrtime.bigint();
  const job = miner.mine(HEADER);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  miner.cancel();
  await job;
  await new Promise((r) => setTimeout(r, 100));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const hashes = miner.totalHashes - before;
  await miner.close();
  console.log(
    `worker: ${hashes} hashes in ${elapsed.toFixed(2)} s = ${Math.round(hashes / elapsed)} hashes/s (header ${encodeHeader(HEADER).length} bytes)`,
  );

  const n = 200_000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) headerHash({ ...HEADER, nonce: BigInt(i) });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`main thread headerHash (encode + keccak): ${Math.round(n / s)} /s`);
}

void main();
