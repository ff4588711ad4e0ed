import { keccak256 as sha3keccak } from "js-sha3";
import secp256k1 from "secp256k1";
import type { Address, Hex } from "../types/primitives";
import { compareBytes, concatBytes, equalBytes, fromHex, keccak256, toHex, uintBytes } from "./bytes";

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
  return new Uint8Array(sha3keccak.create().update(domainPrefix(domain, chainId)).update(payload).arrayBuffer());
}

/** domainTag ‖ uint64 chainId, built once per (domain, chain): every digest of a node starts with one. */
const prefixes = new Map<string, Uint8Array>();

function domainPrefix(domain: SignDomain, chainId: bigint): Uint8Array {
  const key = `${domain}:${chainId}`;
  let prefix = prefixes.get(key);
  if (prefix === undefined) {
    prefix = concatBytes([DOMAIN_TAGS.get(domain)!, uintBytes(chainId, 8)]);
    if (prefixes.size < 64) prefixes.set(key, prefix); // a node knows one chain; tests a few
  }
  return prefix;
}

/** secp256k1 group order / 2: signatures with a larger s are malleable copies and are rejected. */
const HALF_N = uintBytes(0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n, 32);

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
 * precommits already seen, so a bounded memo pays for itself. Keyed by the signature string (a
 * string caches its own hash, so the same transaction's signature is looked up without rehashing)
 * and checked against the digest's bytes, since one signature recovers to different keys over
 * different digests. FIFO eviction keeps it O(1).
 */
const RECOVERY_CACHE_MAX = 65_536;
const recoveryCache = new Map<Hex, { readonly digest: Uint8Array; readonly signer: Address | null }>();

/** Empties the memo (benchmarks that must measure real recoveries). */
export function clearRecoveryCache(): void {
  recoveryCache.clear();
}

/** The address that signed `digest`, or null for a malformed, high-s or unrecoverable signature. */
export function recoverSigner(digest: Uint8Array, signature: Hex): Address | null {
  const cached = recoveryCache.get(signature);
  if (cached !== undefined && equalBytes(cached.digest, digest)) return cached.signer;
  const parsed = parseSignature(signature);
  let signer: Address | null = null;
  if (parsed !== null) {
    try {
      signer = addressOfPublicKey(secp256k1.ecdsaRecover(parsed.rs, parsed.recid, digest, false));
    } catch {
      signer = null;
    }
  }
  remember(digest, signature, signer);
  return signer;
}

/**
 * Puts a recovery done elsewhere (node/chain/recoveryPool.ts: the public key a worker thread
 * recovered from a signature parseSignature accepted, or null) into the memo, so recoverSigner
 * answers from it. The signer is derived here, by the same addressOfPublicKey.
 */
export function rememberRecovery(digest: Uint8Array, signature: Hex, publicKey: Uint8Array | null): void {
  remember(digest, signature, publicKey === null ? null : addressOfPublicKey(publicKey));
}

/** Whether recoverSigner would answer (digest, signature) from the memo. */
export function isRecoveryRemembered(digest: Uint8Array, signature: Hex): boolean {
  const cached = recoveryCache.get(signature);
  return cached !== undefined && equalBytes(cached.digest, digest);
}

function remember(digest: Uint8Array, signature: Hex, signer: Address | null): void {
  if (recoveryCache.size >= RECOVERY_CACHE_MAX && !recoveryCache.has(signature)) {
    recoveryCache.delete(recoveryCache.keys().next().value!);
  }
  recoveryCache.set(signature, { digest: digest.slice(), signer });
}

/**
 * r ‖ s and the recovery id of a 65-byte r ‖ s ‖ v signature with v = 27 or 28 and a low s, or
 * null: the checks before the curve math, the same for every signature recovered here or in a worker.
 */
export function parseSignature(signature: Hex): { rs: Uint8Array; recid: number } | null {
  let bytes: Uint8Array;
  try {
    bytes = fromHex(signature, 65);
  } catch {
    return null;
  }
  const v = bytes[64];
  if (v !== 27 && v !== 28) return null;
  if (compareBytes(bytes.subarray(32, 64), HALF_N) > 0) return null;
  return { rs: bytes.subarray(0, 64), recid: v - 27 };
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
