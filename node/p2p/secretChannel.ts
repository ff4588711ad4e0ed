import { createCipheriv, createDecipheriv } from "node:crypto";

export const TAG_BYTES = 16;

/**
 * ChaCha20-Poly1305 over one connection, one key and one counter per direction (as CometBFT's
 * SecretConnection): the nonce of the n-th frame sent is 4 zero bytes ‖ uint64 big-endian n, so a
 * frame that is replayed, reordered, dropped or altered fails to open and ends the connection.
 */
export class SecretChannel {
  private sent = 0n;
  private received = 0n;

  constructor(
    private readonly sendKey: Uint8Array,
    private readonly receiveKey: Uint8Array,
  ) {}

  /** ciphertext ‖ 16-byte tag. */
  seal(plaintext: Uint8Array): Buffer {
    const cipher = createCipheriv("chacha20-poly1305", this.sendKey, nonce(this.sent++), { authTagLength: TAG_BYTES });
    return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  }

  /** The plaintext, or null if the frame is not the next one sealed by the peer. */
  open(sealed: Uint8Array): Buffer | null {
    if (sealed.length < TAG_BYTES) return null;
    const decipher = createDecipheriv("chacha20-poly1305", this.receiveKey, nonce(this.received), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    try {
      const plaintext = Buffer.concat([
        decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]);
      this.received++;
      return plaintext;
    } catch {
      return null;
    }
  }
}

function nonce(counter: bigint): Buffer {
  const n = Buffer.alloc(12);
  n.writeBigUInt64BE(counter, 4);
  return n;
}
