// Signature recovery in a worker thread (plain CommonJS so it starts without a compiler), for
// node/chain/recoveryPool.ts. One job at a time: { id, input } where input holds n records of
// digest (32) ‖ r ‖ s (64) ‖ recovery id (1), already screened by parseSignature (node/chain/signing.ts);
// the reply { id, output } holds n uncompressed public keys (65 bytes each), all zero where the curve
// math failed. Only the native call runs here; the signer is derived on the main thread.
"use strict";
const { parentPort } = require("node:worker_threads");
const secp256k1 = require("secp256k1");

const RECORD = 97;
const PUBLIC_KEY = 65;

parentPort.on("message", ({ id, input }) => {
  const count = input.length / RECORD;
  const output = new Uint8Array(count * PUBLIC_KEY);
  for (let i = 0; i < count; i++) {
    const at = i * RECORD;
    try {
      const key = secp256k1.ecdsaRecover(
        input.subarray(at + 32, at + 96),
        input[at + 96],
        input.subarray(at, at + 32),
        false,
      );
      output.set(key, i * PUBLIC_KEY);
    } catch {
      // left all zero: no valid public key starts with 0x00
    }
  }
  parentPort.postMessage({ id, output }, [output.buffer]);
});
