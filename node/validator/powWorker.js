// The proof-of-work search, in a worker thread (plain CommonJS so it starts without a compiler).
// One job at a time: { id, header (the 264 canonical header bytes), target (32 bytes, big-endian),
// nonceOffset }. It tries nonce 0, 1, 2, … until keccak256(header) < target, checking every
// CHECK_EVERY hashes whether the job was cancelled (the shared `current` slot holds another id).
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const { keccak256 } = require("js-sha3");

const CHECK_EVERY = 2048;
const current = new Int32Array(workerData.control);

/** hash < target, both 32 bytes big-endian. */
function below(hash, target) {
  for (let i = 0; i < 32; i++) {
    if (hash[i] !== target[i]) return hash[i] < target[i];
  }
  return false;
}

function search(job) {
  const header = new Uint8Array(job.header);
  const target = new Uint8Array(job.target);
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const started = Date.now();
  let hashes = 0;
  for (let nonce = 0; nonce < Number.MAX_SAFE_INTEGER; nonce++) {
    if (hashes % CHECK_EVERY === 0 && Atomics.load(current, 0) !== job.id) {
      return { type: "abandoned", id: job.id, hashes, ms: Date.now() - started };
    }
    view.setBigUint64(job.nonceOffset, BigInt(nonce));
    hashes++;
    if (below(new Uint8Array(keccak256.arrayBuffer(header)), target)) {
      return { type: "found", id: job.id, nonce: String(nonce), hashes, ms: Date.now() - started };
    }
  }
  return { type: "abandoned", id: job.id, hashes, ms: Date.now() - started };
}

parentPort.on("message", (job) => parentPort.postMessage(search(job)));
