import { randomBytes } from "node:crypto";
import { keccak256 } from "js-sha3";
import * as secp256k1 from "secp256k1";

/**
 * The built-in device benchmark a candidate runs before applying: how fast this machine does the
 * two things a representative does all day. Proof of work is keccak256 over a block header with a
 * changing nonce (js-sha3, the miner's own hash); attestation checks are secp256k1 signature
 * verifications (native libsecp256k1, the verifier the node uses on its hot path).
 */
export interface DevicePerformance {
  /** keccak256 hashes of a 120-byte header per second. */
  readonly powHashesPerSecond: number;
  /** secp256k1 ECDSA verifications per second. */
  readonly sigVerificationsPerSecond: number;
}

export interface BenchmarkOptions {
  /** Wall time spent on each of the two measurements. */
  readonly durationMsPerTest: number;
  /** A monotonic clock in milliseconds; injected so tests can drive it. */
  readonly nowMs?: () => number;
}

/** The size of the header the PoW benchmark hashes (the size of a repchain block header). */
export const HEADER_BYTES = 120;
/** Work is timed in batches so that reading the clock does not dominate the loop. */
const BATCH = 256;

/** Runs both measurements, one after the other, and returns whole operations per second. */
export function measureDevicePerformance(options: BenchmarkOptions): DevicePerformance {
  const nowMs = options.nowMs ?? (() => performance.now());
  return {
    powHashesPerSecond: measurePowHashRate(options.durationMsPerTest, nowMs),
    sigVerificationsPerSecond: measureSignatureVerifyRate(options.durationMsPerTest, nowMs),
  };
}

/** keccak256 of a header whose last 8 bytes are a nonce counting up, as a miner does it. */
export function measurePowHashRate(durationMs: number, nowMs: () => number): number {
  const header = new Uint8Array(randomBytes(HEADER_BYTES));
  const view = new DataView(header.buffer);
  let nonce = 0;
  return timeBatches(durationMs, nowMs, () => {
    for (let i = 0; i < BATCH; i++) {
      view.setUint32(HEADER_BYTES - 4, nonce++);
      // Raw bytes, as a miner compares the hash with its target: hex output would time string building.
      keccak256.arrayBuffer(header);
    }
  });
}

/** Verifies one fixed (message, signature, key) triple repeatedly, as an attestation check does. */
export function measureSignatureVerifyRate(durationMs: number, nowMs: () => number): number {
  let privateKey: Uint8Array;
  do privateKey = new Uint8Array(randomBytes(32));
  while (!secp256k1.privateKeyVerify(privateKey));
  const message = new Uint8Array(randomBytes(32));
  const { signature } = secp256k1.ecdsaSign(message, privateKey);
  const publicKey = secp256k1.publicKeyCreate(privateKey, false);
  return timeBatches(durationMs, nowMs, () => {
    for (let i = 0; i < BATCH; i++) {
      if (!secp256k1.ecdsaVerify(signature, message, publicKey))
        throw new Error("benchmark signature failed to verify");
    }
  });
}

function timeBatches(durationMs: number, nowMs: () => number, runBatch: () => void): number {
  if (!(durationMs > 0)) throw new RangeError(`benchmark duration must be positive, got ${durationMs}`);
  const start = nowMs();
  let batches = 0;
  let elapsed: number;
  // At least one batch, so even a tiny duration yields a figure rather than a division by zero.
  do {
    runBatch();
    batches++;
    elapsed = nowMs() - start;
  } while (elapsed < durationMs);
  return Math.floor((batches * BATCH * 1000) / Math.max(elapsed, 1e-3));
}
