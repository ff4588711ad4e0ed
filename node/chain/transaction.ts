import type { Address, Hex } from "../types/primitives";
import { concatBytes, fromHex, keccak256Hex, toHex, uintBytes } from "./bytes";
import { SignDomain, recoverSigner, signDigest, signingDigest, type KeyPair } from "./signing";

/** A client transaction: a payload signed by an Ethereum key with a per-account nonce. */
export interface Transaction {
  readonly from: Address;
  readonly nonce: bigint;
  readonly payload: Hex;
  readonly signature: Hex;
}

/** Largest payload a transaction may carry, in bytes. */
export const MAX_PAYLOAD_BYTES = 4096;

// The one byte layout of a transaction, encoded and decoded here only:
// from (20) ‖ nonce (8) ‖ payload length (4) ‖ payload ‖ signature (65).
/**
 * Encodings memoised per object, as headers' hashes are (headerCodec.ts): a transaction is an
 * immutable value whose bytes a node needs for its digest, the block's txRoot and size, and the
 * wire — a changed transaction is a new object. Callers must not write into the returned bytes.
 */
const unsignedEncodings = new WeakMap<object, Uint8Array>();
const encodings = new WeakMap<Transaction, Uint8Array>();

/** The transaction fields a sender signs: from (20) ‖ nonce (8) ‖ payload length (4) ‖ payload. */
export function encodeUnsignedTransaction(tx: Omit<Transaction, "signature">): Uint8Array {
  let bytes = unsignedEncodings.get(tx);
  if (bytes === undefined) {
    const payload = fromHex(tx.payload);
    bytes = concatBytes([fromHex(tx.from, 20), uintBytes(tx.nonce, 8), uintBytes(payload.length, 4), payload]);
    unsignedEncodings.set(tx, bytes);
  }
  return bytes;
}

/** The signed transaction: its unsigned encoding followed by the 65-byte signature. */
export function encodeTransaction(tx: Transaction): Uint8Array {
  let bytes = encodings.get(tx);
  if (bytes === undefined) {
    bytes = concatBytes([encodeUnsignedTransaction(tx), fromHex(tx.signature, 65)]);
    encodings.set(tx, bytes);
  }
  return bytes;
}

/** A transaction's id: keccak256 of its signed encoding (signatures are low-s, so not malleable). */
export function transactionHash(tx: Transaction): Hex {
  return keccak256Hex(encodeTransaction(tx));
}

const FIXED_BYTES = 20 + 8 + 4;
const SIGNATURE_BYTES = 65;
/** Encoded size of a transaction with an empty payload. */
export const TRANSACTION_OVERHEAD_BYTES = FIXED_BYTES + SIGNATURE_BYTES;

/**
 * The inverse of encodeTransaction. Throws a RangeError for anything but exactly that layout; the signature itself is
 * checked later (transactionFormError), once, by whoever accepts the transaction.
 */
export function decodeTransaction(bytes: Uint8Array): Transaction {
  if (bytes.length < FIXED_BYTES + SIGNATURE_BYTES) throw new RangeError(`transaction of ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const payloadLength = view.getUint32(28);
  if (payloadLength > MAX_PAYLOAD_BYTES) throw new RangeError(`payload of ${payloadLength} bytes`);
  if (bytes.length !== FIXED_BYTES + payloadLength + SIGNATURE_BYTES) {
    throw new RangeError(`transaction length ${bytes.length} does not match its payload length ${payloadLength}`);
  }
  const tx: Transaction = {
    from: toHex(bytes.subarray(0, 20)) as Address,
    nonce: view.getBigUint64(20),
    payload: toHex(bytes.subarray(FIXED_BYTES, FIXED_BYTES + payloadLength)),
    signature: toHex(bytes.subarray(FIXED_BYTES + payloadLength)),
  };
  // These bytes are its encoding (the layout is one-to-one), so it is never encoded again.
  const own = bytes.slice();
  encodings.set(tx, own);
  unsignedEncodings.set(tx, own.subarray(0, own.length - SIGNATURE_BYTES));
  return tx;
}

export function decodeTransactionHex(hex: string): Transaction {
  return decodeTransaction(fromHex(hex));
}

/** Digests memoised per object and chain, like the encodings: mempool, proposal and commit checks all need it. */
const digests = new WeakMap<object, { readonly chainId: bigint; readonly digest: Uint8Array }>();

export function transactionDigest(chainId: bigint, tx: Omit<Transaction, "signature">): Uint8Array {
  const known = digests.get(tx);
  if (known !== undefined && known.chainId === chainId) return known.digest;
  const digest = signingDigest(SignDomain.TRANSACTION, chainId, encodeUnsignedTransaction(tx));
  digests.set(tx, { chainId, digest });
  return digest;
}

export function signTransaction(chainId: bigint, key: KeyPair, nonce: bigint, payload: `0x${string}`): Transaction {
  const unsigned = { from: key.address, nonce, payload };
  return { ...unsigned, signature: signDigest(transactionDigest(chainId, unsigned), key.privateKey) };
}

/** Why a transaction is unacceptable regardless of chain state, or null if its form and signature are fine. */
export function transactionFormError(chainId: bigint, tx: Transaction): string | null {
  let payloadLength: number;
  try {
    payloadLength = fromHex(tx.payload).length;
  } catch {
    return "payload is not hex";
  }
  if (payloadLength > MAX_PAYLOAD_BYTES) return `payload ${payloadLength} bytes > ${MAX_PAYLOAD_BYTES}`;
  if (tx.nonce < 0n || tx.nonce >= 1n << 64n) return `nonce ${tx.nonce} out of range`;
  let signer: Address | null;
  try {
    signer = recoverSigner(transactionDigest(chainId, tx), tx.signature);
  } catch {
    return "malformed transaction";
  }
  if (signer !== tx.from) return `signature is not from ${tx.from}`;
  return null;
}
