import { createHash, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, type KeyObject } from "node:crypto";
import { concatBytes, equalBytes, fromHex, toHex, uintBytes } from "../chain/bytes";
import { SignDomain, recoverSigner, signDigest, signingDigest, type KeyPair } from "../chain/signing";
import type { Address, Hex } from "../types/primitives";

/**
 * The repchain P2P handshake, version 2 (docs/p2p.md is the normative text), after CometBFT's
 * SecretConnection:
 *
 * 1. Each side sends, in the clear, `"RCP2" ‖ genesisHash (32) ‖ ephemeral X25519 public key (32)`.
 * 2. Both compute the X25519 shared secret and, with lo/hi the two ephemeral keys in byte order,
 *    `transcript = SHA-256("repchain-p2p-v2" ‖ uint64 chainId ‖ genesisHash ‖ lo ‖ hi)`,
 *    `okm = HKDF-SHA256(ikm = shared, salt = transcript, info = "repchain-p2p-v2", 96 bytes)`:
 *    the key lo→hi, the key hi→lo, and a 32-byte challenge fresh to this connection.
 * 3. Each side's first encrypted frame is `address (20) ‖ signature (65)`: its node key's signature
 *    over signingDigest(P2P_HANDSHAKE, chainId, challenge). The address it recovers to must be the
 *    one claimed: that is the peer's proven identity.
 */
export const HELLO_MAGIC = new TextEncoder().encode("RCP2");
export const HELLO_BYTES = 4 + 32 + 32;
export const AUTH_BYTES = 20 + 65;
const LABEL = new TextEncoder().encode("repchain-p2p-v2");

/** This side's half of a handshake in progress. */
export interface Ephemeral {
  readonly privateKey: KeyObject;
  readonly publicKey: Uint8Array;
}

export interface SessionKeys {
  readonly sendKey: Uint8Array;
  readonly receiveKey: Uint8Array;
  readonly challenge: Uint8Array;
}

export class HandshakeError extends Error {
  constructor(
    readonly reason: "wrong chain" | "malformed" | "authentication failed",
    detail: string,
  ) {
    super(`${reason}: ${detail}`);
    this.name = "HandshakeError";
  }
}

export function createEphemeral(): Ephemeral {
  const { publicKey, privateKey } = generateKeyPairSync("x25519");
  return { privateKey, publicKey: new Uint8Array(Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url")) };
}

export function encodeHello(genesisHash: Hex, ephemeral: Ephemeral): Uint8Array {
  return concatBytes([HELLO_MAGIC, fromHex(genesisHash, 32), ephemeral.publicKey]);
}

/** The peer's ephemeral key from its hello; throws HandshakeError for another chain or garbage. */
export function parseHello(frame: Uint8Array, genesisHash: Hex): Uint8Array {
  if (frame.length !== HELLO_BYTES || !equalBytes(frame.subarray(0, 4), HELLO_MAGIC)) {
    throw new HandshakeError("malformed", `hello of ${frame.length} bytes, expected ${HELLO_BYTES} starting "RCP2"`);
  }
  const theirGenesis = toHex(frame.subarray(4, 36));
  if (theirGenesis !== genesisHash) throw new HandshakeError("wrong chain", `genesis ${theirGenesis}`);
  return frame.slice(36);
}

/** Step 2: the session's keys, from our ephemeral and theirs. */
export function deriveSession(
  chainId: bigint,
  genesisHash: Hex,
  ours: Ephemeral,
  theirPublicKey: Uint8Array,
): SessionKeys {
  const order = Buffer.compare(Buffer.from(ours.publicKey), Buffer.from(theirPublicKey));
  if (order === 0) throw new HandshakeError("malformed", "the peer echoed our ephemeral key");
  let shared: Buffer;
  try {
    const publicKey = createPublicKey({
      key: { kty: "OKP", crv: "X25519", x: Buffer.from(theirPublicKey).toString("base64url") },
      format: "jwk",
    });
    shared = diffieHellman({ privateKey: ours.privateKey, publicKey });
  } catch (err) {
    throw new HandshakeError("malformed", `ephemeral key: ${(err as Error).message}`);
  }
  if (shared.every((b) => b === 0)) throw new HandshakeError("malformed", "low-order ephemeral key");
  const [lo, hi] = order < 0 ? [ours.publicKey, theirPublicKey] : [theirPublicKey, ours.publicKey];
  const transcript = sha256(concatBytes([LABEL, uintBytes(chainId, 8), fromHex(genesisHash, 32), lo, hi]));
  const okm = new Uint8Array(hkdfSync("sha256", shared, transcript, LABEL, 96));
  const loToHi = okm.slice(0, 32);
  const hiToLo = okm.slice(32, 64);
  return {
    sendKey: order < 0 ? loToHi : hiToLo,
    receiveKey: order < 0 ? hiToLo : loToHi,
    challenge: okm.slice(64, 96),
  };
}

function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(data).digest());
}

/** Step 3, our side: the proof that we hold `key`, bound to this connection's challenge. */
export function encodeAuth(chainId: bigint, challenge: Uint8Array, key: KeyPair): Uint8Array {
  const signature = signDigest(signingDigest(SignDomain.P2P_HANDSHAKE, chainId, challenge), key.privateKey);
  return concatBytes([fromHex(key.address, 20), fromHex(signature, 65)]);
}

/** Step 3, their side: the proven identity, or HandshakeError. */
export function verifyAuth(chainId: bigint, challenge: Uint8Array, frame: Uint8Array): Address {
  if (frame.length !== AUTH_BYTES) throw new HandshakeError("malformed", `auth of ${frame.length} bytes`);
  const claimed = toHex(frame.subarray(0, 20)) as Address;
  const signer = recoverSigner(
    signingDigest(SignDomain.P2P_HANDSHAKE, chainId, challenge),
    toHex(frame.subarray(20)) as Hex,
  );
  if (signer !== claimed) {
    throw new HandshakeError("authentication failed", `claims ${claimed}, proved ${signer ?? "nothing"}`);
  }
  return claimed;
}
