import type { Address } from "../types/primitives";
import { encodeUnsignedTransaction } from "./bodyCodec";
import { fromHex } from "./bytes";
import { SignDomain, recoverSigner, signDigest, signingDigest, type KeyPair } from "./signing";
import type { Transaction } from "./types";

/** Largest payload a transaction may carry, in bytes. */
export const MAX_PAYLOAD_BYTES = 4096;

export function transactionDigest(chainId: bigint, tx: Omit<Transaction, "signature">): Uint8Array {
  return signingDigest(SignDomain.TRANSACTION, chainId, encodeUnsignedTransaction(tx));
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
