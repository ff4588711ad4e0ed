import type { Address, Hex } from "../types/primitives";
import { transactionHash } from "./bodyCodec";
import { transactionFormError } from "./transaction";
import type { Transaction } from "./types";

export enum MempoolRejection {
  /** Malformed, oversized or not signed by `from`: the sender's peer is at fault (REJECT). */
  BAD_TRANSACTION = "MEMPOOL_BAD_TRANSACTION",
  /** Already held, or its (from, nonce) slot is taken by another transaction (IGNORE). */
  DUPLICATE = "MEMPOOL_DUPLICATE",
  /** Below the account's next nonce: already included (IGNORE). */
  NONCE_TOO_LOW = "MEMPOOL_NONCE_TOO_LOW",
  /** Too far ahead of the account's next nonce to be held (IGNORE). */
  NONCE_TOO_HIGH = "MEMPOOL_NONCE_TOO_HIGH",
  /** The pool or the account's share of it is full (IGNORE). */
  FULL = "MEMPOOL_FULL",
}

export type MempoolResult =
  | { readonly accepted: true; readonly hash: Hex }
  | { readonly accepted: false; readonly reason: MempoolRejection; readonly detail?: string };

export interface MempoolLimits {
  readonly maxTransactions: number;
  readonly maxPerAccount: number;
}

/**
 * Client transactions waiting for a block: bounded in total and per account (so one sender cannot
 * fill it), one transaction per (account, nonce), signatures checked on entry. Transactions come
 * out in a deterministic order — accounts by address, nonces ascending, gap-free from the
 * account's next nonce — which is what a block can include.
 */
export class Mempool {
  private readonly byHash = new Map<Hex, Transaction>();
  private readonly byAccount = new Map<Address, Map<bigint, Transaction>>();

  constructor(
    private readonly chainId: bigint,
    private readonly limits: MempoolLimits = { maxTransactions: 10_000, maxPerAccount: 64 },
  ) {}

  get size(): number {
    return this.byHash.size;
  }

  has(hash: Hex): boolean {
    return this.byHash.has(hash);
  }

  /** Adds `tx` if acceptable; `nextNonce` is the sender's next nonce on the chain. Changes nothing otherwise. */
  add(tx: Transaction, nextNonce: bigint): MempoolResult {
    const formError = transactionFormError(this.chainId, tx);
    if (formError !== null) return { accepted: false, reason: MempoolRejection.BAD_TRANSACTION, detail: formError };
    const hash = transactionHash(tx);
    const account = this.byAccount.get(tx.from);
    if (this.byHash.has(hash) || account?.has(tx.nonce)) return { accepted: false, reason: MempoolRejection.DUPLICATE };
    if (tx.nonce < nextNonce) return { accepted: false, reason: MempoolRejection.NONCE_TOO_LOW };
    if (tx.nonce >= nextNonce + BigInt(this.limits.maxPerAccount))
      return { accepted: false, reason: MempoolRejection.NONCE_TOO_HIGH };
    if (this.byHash.size >= this.limits.maxTransactions || (account?.size ?? 0) >= this.limits.maxPerAccount) {
      return { accepted: false, reason: MempoolRejection.FULL };
    }
    this.byHash.set(hash, tx);
    if (account === undefined) this.byAccount.set(tx.from, new Map([[tx.nonce, tx]]));
    else account.set(tx.nonce, tx);
    return { accepted: true, hash };
  }

  /** Up to `max` includable transactions, given the chain's next nonce per account. */
  pending(nextNonces: ReadonlyMap<Address, bigint>, max: number): Transaction[] {
    const out: Transaction[] = [];
    for (const from of [...this.byAccount.keys()].sort()) {
      const account = this.byAccount.get(from)!;
      for (let nonce = nextNonces.get(from) ?? 0n; out.length < max; nonce++) {
        const tx = account.get(nonce);
        if (tx === undefined) break;
        out.push(tx);
      }
      if (out.length >= max) break;
    }
    return out;
  }

  /** Drops what a finalized block made stale: every transaction below its account's next nonce. */
  prune(nextNonces: ReadonlyMap<Address, bigint>): void {
    for (const [from, account] of this.byAccount) {
      const next = nextNonces.get(from) ?? 0n;
      for (const [nonce, tx] of account) {
        if (nonce < next) {
          account.delete(nonce);
          this.byHash.delete(transactionHash(tx));
        }
      }
      if (account.size === 0) this.byAccount.delete(from);
    }
  }
}
