import { fromHex, toHex } from "./bytes";
import { MAX_PAYLOAD_BYTES } from "./transaction";
import type { Transaction } from "./types";
import type { Address } from "../types/primitives";

const FIXED_BYTES = 20 + 8 + 4;
const SIGNATURE_BYTES = 65;

/**
 * The inverse of bodyCodec's encodeTransaction: from (20) ‖ nonce (8) ‖ payload length (4) ‖ payload
 * ‖ signature (65). Throws a RangeError for anything but exactly that layout; the signature itself is
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
  return {
    from: toHex(bytes.subarray(0, 20)) as Address,
    nonce: view.getBigUint64(20),
    payload: toHex(bytes.subarray(FIXED_BYTES, FIXED_BYTES + payloadLength)),
    signature: toHex(bytes.subarray(FIXED_BYTES + payloadLength)),
  };
}

export function decodeTransactionHex(hex: string): Transaction {
  return decodeTransaction(fromHex(hex));
}
