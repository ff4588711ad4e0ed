import { concatBytes, keccak256Hex } from "../chain/bytes";
import { signDigest, type KeyPair } from "../chain/signing";
import { signTransaction, type Transaction } from "../chain/transaction";
import type { Address, Hex } from "../types/primitives";
import type { LockEvidence } from "./tendermint";
import { compareHrs, type SignState, type SignStateStore, type SignStep } from "./signState";

/**
 * The sign state could not be made durable: the node must stop (not sign, not carry on), since
 * it can no longer prove to itself after a restart what it signed.
 */
export class SignStateWriteError extends Error {
  constructor(cause: unknown) {
    super(`sign state not saved: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = "SignStateWriteError";
  }
}

/**
 * The only holder of a validator's key in consensus. It signs at (h, r, step) only if that is
 * strictly after the last signed (h, r, step), and persists the new state BEFORE handing out the
 * signature: a crash after the write but before the send at worst loses the message, never lets a
 * restarted node sign something different at the same step. Asked again for the very same digests
 * at the same step (a restarted node redoing its work), it returns the stored signatures.
 */
export class SignGuard {
  private last: SignState | null;

  constructor(
    private readonly key: KeyPair,
    private readonly store: SignStateStore,
  ) {
    this.last = store.load();
  }

  get address(): Address {
    return this.key.address;
  }

  /**
   * A transaction from this key (a heartbeat, node/chain/heartbeat.ts). Not guarded: a transaction
   * cannot equivocate, its nonce makes a second one with the same nonce a duplicate.
   */
  signTransaction(chainId: bigint, nonce: bigint, payload: Hex): Transaction {
    return signTransaction(chainId, this.key, nonce, payload);
  }

  lastSigned(): SignState | null {
    return this.last;
  }

  /**
   * Signatures over `digests` at (height, round, step), or null if signing would equivocate.
   * `vote` describes a vote being signed; `newLock` is the lock a non-nil precommit takes, persisted
   * with it (and kept for the rest of the height).
   */
  sign(
    height: number,
    round: number,
    step: SignStep,
    digests: readonly Uint8Array[],
    vote: SignState["vote"] = null,
    newLock: LockEvidence | null = null,
  ): Hex[] | null {
    const digestsHash = keccak256Hex(concatBytes([...digests]));
    const next = { height, round, step };
    if (this.last !== null) {
      const order = compareHrs(next, this.last);
      if (order < 0) return null;
      if (order === 0) return this.last.digestsHash === digestsHash ? [...this.last.signatures] : null;
    }
    const signatures = digests.map((d) => signDigest(d, this.key.privateKey));
    const previousLock = this.last !== null && this.last.height === height ? this.last.lock : null;
    const lock = newLock ?? previousLock;
    const state: SignState = { ...next, digestsHash, signatures, vote, lock };
    try {
      this.store.save(state);
    } catch (cause) {
      throw new SignStateWriteError(cause);
    }
    this.last = state;
    return signatures;
  }
}
