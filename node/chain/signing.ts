import secp256k1 from "secp256k1";
import type { Address, Hex } from "../types/primitives";
import { concatBytes, fromHex, keccak256, toHex, uintBytes } from "./bytes";

/**
 * Ethereum-style secp256k1 signatures through the native libsecp256k1 binding (≈15k recoveries/s,
 * ≈28× ethers). Every signed digest starts with a 32-byte domain tag per message kind, then the
 * chain id, so a signature made for one kind (say a prevote) can never be replayed as another (a
 * precommit, a block, a transaction) or on another chain.
 */
export enum SignDomain {
  BLOCK = "repchain/block/v1",
  PROPOSAL = "repchain/proposal/v1",
  PREVOTE = "repchain/prevote/v1",
  PRECOMMIT = "repchain/precommit/v1",
  TRANSACTION = "repchain/transaction/v1",
  /** A node key proving itself to a peer over the connection's challenge (node/p2p/handshake.ts). */
  P2P_HANDSHAKE = "repchain/p2p-handshake/v1",
}

const DOMAIN_TAGS = new Map<SignDomain, Uint8Array>(
  Object.values(SignDomain).map((d) => [d, keccak256(new TextEncoder().encode(d))]),
);

/** keccak256(domainTag ‖ uint64 chainId ‖ payload): what a signer signs. */
export function signingDigest(domain: SignDomain, chainId: bigint, payload: Uint8Array): Uint8Array {
  return keccak256(concatBytes([DOMAIN_TAGS.get(domain)!, uintBytes(chainId, 8), payload]));
}

/** secp256k1 group order / 2: signatures with a larger s are malleable copies and are rejected. */
const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

export function addressOfPublicKey(uncompressed: Uint8Array): Address {
  return toHex(keccak256(uncompressed.subarray(1)).subarray(12)) as Address;
}

export function addressOfPrivateKey(privateKey: Uint8Array): Address {
  return addressOfPublicKey(secp256k1.publicKeyCreate(privateKey, false));
}

/** Signs a 32-byte digest; returns r ‖ s ‖ v (65 bytes, v = 27 + recovery id), as Ethereum does. */
export function signDigest(digest: Uint8Array, privateKey: Uint8Array): Hex {
  const { signature, recid } = secp256k1.ecdsaSign(digest, privateKey);
  const out = new Uint8Array(65);
  out.set(signature, 0);
  out[64] = 27 + recid;
  return toHex(out);
}

/**
 * Recovered signers by (digest, signature). Recovery is a pure function and the slowest thing a
 * node does (≈65 µs); gossip delivers the same vote from several peers, and a certificate repeats
 * precommits already seen, so a bounded memo pays for itself. FIFO eviction keeps it O(1).
 */
const RECOVERY_CACHE_MAX = 65_536;
const recoveryCache = new Map<string, Address | null>();

/** Empties the memo (benchmarks that must measure real recoveries). */
export function clearRecoveryCache(): void {
  recoveryCache.clear();
}

/** The address that signed `digest`, or null for a malformed, high-s or unrecoverable signature. */
export function recoverSigner(digest: Uint8Array, signature: Hex): Address | null {
  const key = toHex(digest) + signature;
  const cached = recoveryCache.get(key);
  if (cached !== undefined) return cached;
  const signer = recoverUncached(digest, signature);
  if (recoveryCache.size >= RECOVERY_CACHE_MAX) recoveryCache.delete(recoveryCache.keys().next().value!);
  recoveryCache.set(key, signer);
  return signer;
}

function recoverUncached(digest: Uint8Array, signature: Hex): Address | null {
  let bytes: Uint8Array;
  try {
    bytes = fromHex(signature, 65);
  } catch {
    return null;
  }
  const v = bytes[64];
  if (v !== 27 && v !== 28) return null;
  if (BigInt(toHex(bytes.subarray(32, 64))) > HALF_N) return null;
  try {
    return addressOfPublicKey(secp256k1.ecdsaRecover(bytes.subarray(0, 64), v - 27, digest, false));
  } catch {
    return null;
  }
}

/** A key held by this process. The consensus core never sees it, only `sign` through a guard. */
export interface KeyPair {
  readonly address: Address;
  readonly privateKey: Uint8Array;
}

export function keyPairFromPrivateKey(privateKey: Uint8Array): KeyPair {
  if (!secp256k1.privateKeyVerify(privateKey)) throw new RangeError("invalid secp256k1 private key");
  return { address: addressOfPrivateKey(privateKey), privateKey };
}
