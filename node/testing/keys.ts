import { keyPairFromPrivateKey, type KeyPair } from "../chain/signing";

/** Deterministic keys for tests and benches: private key 0x00…5a0i, so key i is the same in every run. */
export function testKey(i: number): KeyPair {
  const pk = new Uint8Array(32);
  pk[31] = i;
  pk[30] = 0x5a;
  return keyPairFromPrivateKey(pk);
}
