import { ZERO_HASH } from "../../node/chain/bytes";
import { encodeHeader, headerHash } from "../../node/chain/headerCodec";
import type { BlockHeader } from "../../node/chain/types";
import { PowMiner } from "../../node/validator/powMiner";

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
  const miner = new PowMiner(); // the node's own miner
  await miner.mine({ ...HEADER, powTarget: 1n << 250n }); // start and warm the worker
  const job = miner.mine(HEADER); // an unreachable target: it searches until cancelled
  await new Promise((r) => setTimeout(r, seconds * 1000));
  miner.cancel();
  const { hashes, ms } = await job;
  await miner.stop();
  console.log(
    `worker: ${hashes} hashes in ${(ms / 1000).toFixed(2)} s = ${Math.round((hashes * 1000) / ms)} hashes/s (header ${encodeHeader(HEADER).length} bytes)`,
  );

  const n = 200_000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) headerHash({ ...HEADER, nonce: BigInt(i) });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`main thread headerHash (encode + keccak): ${Math.round(n / s)} /s`);
}

void main();
