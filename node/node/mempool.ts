import { transactionHash } from "../chain/bodyCodec";
import { transactionFormError } from "../chain/transaction";
import type { Transaction } from "../chain/types";
import type { Address, Hex } from "../types/governance";

/** Why the mempool refused a transaction. */
export enum MempoolRejection {
  MALFORMED = "MALFORMED",
  DUPLICATE = "DUPLICATE",
  STALE_NONCE = "STALE_NONCE",
  NONCE_TOO_FAR = "NONCE_TOO_FAR",
  FULL = "FULL",
}

export class MempoolError extends Error {
  constructor(
    readonly code: MempoolRejection,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = "MempoolError";
  }
}

export interface MempoolOptions {
  readonly chainId: bigint;
  readonly maxTransactions: number;
  /** A nonce further than this ahead of the account's chain nonce is refused (no unbounded gaps). */
  readonly maxNonceGap: bigint;
  /** The next nonce the chain expects from an account. */
  readonly chainNonce: (account: Address) => bigint;
}

/**
 * Transactions waiting for a block: bounded, keyed by (account, nonce), signature checked once on
 * entry. A replacement for an occupied (account, nonce) is refused as a duplicate. `pending` hands a
 * proposer each account's consecutive run from its chain nonce; `removeIncluded` drops what a
 * finalized block consumed, and every transaction whose nonce the chain has passed.
 */
export class Mempool {
  private readonly byAccount = new Map<Address, Map<bigint, { tx: Transaction; hash: Hex }>>();
  private readonly hashes = new Set<Hex>();

  constructor(private readonly options: MempoolOptions) {}

  get size(): number {
    return this.hashes.size;
  }

  has(hash: Hex): boolean {
    return this.hashes.has(hash);
  }

  /** Validates and adds; throws MempoolError. Returns the transaction hash. */
  add(tx: Transaction): Hex {
    const hash = transactionHash(tx);
    if (this.hashes.has(hash)) throw new MempoolError(MempoolRejection.DUPLICATE, hash);
    const formError = transactionFormError(this.options.chainId, tx);
    if (formError !== null) throw new MempoolError(MempoolRejection.MALFORMED, formError);
    const chainNonce = this.options.chainNonce(tx.from);
    if (tx.nonce < chainNonce) throw new MempoolError(MempoolRejection.STALE_NONCE, `${tx.nonce} < ${chainNonce}`);
    if (tx.nonce > chainNonce + this.options.maxNonceGap) {
      throw new MempoolError(
        MempoolRejection.NONCE_TOO_FAR,
        `${tx.nonce} > ${chainNonce} + ${this.options.maxNonceGap}`,
      );
    }
    const account = this.byAccount.get(tx.from) ?? new Map<bigint, { tx: Transaction; hash: Hex }>();
    if (account.has(tx.nonce)) throw new MempoolError(MempoolRejection.DUPLICATE, `nonce ${tx.nonce} of ${tx.from}`);
    if (this.hashes.size >= this.options.maxTransactions) {
      throw new MempoolError(MempoolRejection.FULL, `${this.options.maxTransactions} transactions`);
    }
    account.set(tx.nonce, { tx, hash });
    this.byAccount.set(tx.from, account);
    this.hashes.add(hash);
    return hash;
  }

  /** Up to `max` transactions: per account the consecutive nonces from its chain nonce. */
  pending(max: number): Transaction[] {
    const out: Transaction[] = [];
    for (const [from, account] of this.byAccount) {
      for (let nonce = this.options.chainNonce(from); out.length < max; nonce++) {
        const entry = account.get(nonce);
        if (entry === undefined) break;
        out.push(entry.tx);
      }
      if (out.length >= max) break;
    }
    return out;
  }

  /** Drops the transactions a finalized block included and any the chain's nonces made stale. */
  removeIncluded(included: readonly Transaction[]): void {
    const touched = new Set(included.map((tx) => tx.from));
    for (const from of touched) {
      const account = this.byAccount.get(from);
      if (account === undefined) continue;
      const chainNonce = this.options.chainNonce(from);
      for (const [nonce, entry] of account) {
        if (nonce >= chainNonce) continue;
        account.delete(nonce);
        this.hashes.delete(entry.hash);
      }
      if (account.size === 0) this.byAccount.delete(from);
    }
  }

  /** A pending transaction by hash (linear in the pool, which is bounded). */
  find(hash: Hex): Transaction | undefined {
    if (!this.hashes.has(hash)) return undefined;
    for (const account of this.byAccount.values())
      for (const entry of account.values()) if (entry.hash === hash) return entry.tx;
    return undefined;
  }
}
