// The proof-of-work search, in a worker thread (plain CommonJS so it starts without a compiler).
// One job at a time: { id, seal (the 32-byte seal hash), target (32 bytes, big-endian), first, stride }.
// It tries nonce first, first + stride, first + 2·stride, … until keccak256(seal ‖ uint64 nonce) < target,
// checking every CHECK_EVERY hashes whether the job was cancelled (the shared `current` slot holds
// another id). With W workers, worker k starts at k with stride W, so no two try the same nonce.
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const { keccak256 } = require("js-sha3");

const CHECK_EVERY = 2048;
const TWO_32 = 0x1_0000_0000;
const current = new Int32Array(workerData.control);

/** hash < target, both 32 bytes big-endian. */
function below(hash, target) {
  for (let i = 0; i < 32; i++) {
    if (hash[i] !== target[i]) return hash[i] < target[i];
  }
  return false;
}

function search(job) {
  // The 40-byte preimage is reused: only the nonce's 8 bytes change, written as two uint32 halves
  // (no BigInt per attempt; nonces stay below 2^53, far beyond any search).
  const preimage = new Uint8Array(40);
  preimage.set(new Uint8Array(job.seal), 0);
  const view = new DataView(preimage.buffer);
  const target = new Uint8Array(job.target);
  const started = Date.now();
  let hashes = 0;
  for (let nonce = job.first; nonce < Number.MAX_SAFE_INTEGER; nonce += job.stride) {
    if (hashes % CHECK_EVERY === 0 && Atomics.load(current, 0) !== job.id) {
      return { type: "abandoned", id: job.id, hashes, ms: Date.now() - started };
    }
    view.setUint32(32, Math.floor(nonce / TWO_32));
    view.setUint32(36, nonce % TWO_32);
    hashes++;
    if (below(new Uint8Array(keccak256.arrayBuffer(preimage)), target)) {
      return { type: "found", id: job.id, nonce: String(nonce), hashes, ms: Date.now() - started };
    }
  }
  return { type: "abandoned", id: job.id, hashes, ms: Date.now() - started };
}

parentPort.on("message", (job) => parentPort.postMessage(search(job)));
