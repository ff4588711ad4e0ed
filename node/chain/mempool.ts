import type { Address, Hex } from "../types/primitives";
import { transactionHash } from "./transaction";
import { transactionBlockBytes, transactionBytes } from "./budgets";
import { transactionFormError } from "./transaction";
import type { Transaction } from "./transaction";

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
  /** Transactions (nonces) one account may hold. */
  readonly maxPerAccount: number;
  /** Bytes (signed encodings) the whole pool may hold. */
  readonly maxBytes: number;
  /** Bytes one account may hold. */
  readonly maxBytesPerAccount: number;
  /** The genesis' maxTransactionBytes: a larger transaction can never be included. */
  readonly maxTransactionBytes: number;
  /** A transaction not included within this long after its arrival is dropped. */
  readonly ttlMs: number;
}

export const DEFAULT_MEMPOOL_LIMITS: MempoolLimits = {
  maxTransactions: 10_000,
  maxPerAccount: 64,
  maxBytes: 16 * 1024 * 1024,
  maxBytesPerAccount: 256 * 1024,
  maxTransactionBytes: 97 + 4096,
  ttlMs: 10 * 60_000,
};

interface Entry {
  readonly tx: Transaction;
  readonly hash: Hex;
  readonly bytes: number;
  /** Arrival order: what block order follows (never the address, which anyone can grind). */
  readonly seq: number;
  readonly arrivedMs: number;
}

interface Account {
  readonly byNonce: Map<bigint, Entry>;
  bytes: number;
}

/**
 * Client transactions waiting for a block, in memory that no sender can exhaust: bounded in count
 * and bytes, in total and per account; one transaction per (account, nonce); signatures checked on
 * entry; dropped after `ttlMs`. A full pool makes room for a newcomer by evicting the newest
 * transaction of the account holding the most bytes, so a flood from many keys cannot lock out a
 * sender who holds less than the flooders.
 *
 * Transactions come out fairly and in arrival order: round-robin over the accounts, each account's
 * gap-free nonce run from its next nonce, accounts ordered by when their next transaction arrived.
 */
export class Mempool {
  private readonly byHash = new Map<Hex, Entry>();
  private readonly accounts = new Map<Address, Account>();
  private bytes = 0;
  private nextSeq = 0;

  constructor(
    private readonly chainId: bigint,
    private readonly limits: MempoolLimits = DEFAULT_MEMPOOL_LIMITS,
  ) {}

  get size(): number {
    return this.byHash.size;
  }

  /** Bytes held (signed encodings). */
  get byteSize(): number {
    return this.bytes;
  }

  has(hash: Hex): boolean {
    return this.byHash.has(hash);
  }

  /**
   * Adds `tx` if acceptable; `nextNonce` is the sender's next nonce on the chain, `nowMs` the
   * arrival time (for the TTL). Changes nothing when it refuses.
   */
  add(tx: Transaction, nextNonce: bigint, nowMs = Date.now()): MempoolResult {
    const formError = this.formError(tx);
    if (formError !== null) return { accepted: false, reason: MempoolRejection.BAD_TRANSACTION, detail: formError };
    const hash = transactionHash(tx);
    const account = this.accounts.get(tx.from);
    if (this.byHash.has(hash) || account?.byNonce.has(tx.nonce)) {
      return { accepted: false, reason: MempoolRejection.DUPLICATE };
    }
    if (tx.nonce < nextNonce) return { accepted: false, reason: MempoolRejection.NONCE_TOO_LOW };
    if (tx.nonce >= nextNonce + BigInt(this.limits.maxPerAccount))
      return { accepted: false, reason: MempoolRejection.NONCE_TOO_HIGH };
    const bytes = transactionBytes(tx);
    const held = account?.bytes ?? 0;
    if ((account?.byNonce.size ?? 0) >= this.limits.maxPerAccount || held + bytes > this.limits.maxBytesPerAccount) {
      return { accepted: false, reason: MempoolRejection.FULL, detail: `account ${tx.from} holds its share` };
    }
    if (!this.makeRoom(tx.from, held + bytes, bytes)) {
      return { accepted: false, reason: MempoolRejection.FULL, detail: `pool holds ${this.bytes} bytes` };
    }
    this.insert({ tx, hash, bytes, seq: this.nextSeq++, arrivedMs: nowMs });
    return { accepted: true, hash };
  }

  /**
   * Includable transactions, given the chain's next nonce per account, within `maxCount` and
   * `maxBytes` (as transactions count in a block: budgets.ts). Round-robin over the accounts in
   * the arrival order of their next transaction.
   */
  pending(nextNonces: ReadonlyMap<Address, bigint>, maxCount: number, maxBytes = Infinity): Transaction[] {
    const runs = this.includableRuns(nextNonces);
    const out: Transaction[] = [];
    let room = maxBytes;
    for (let depth = 0; runs.length > 0 && out.length < maxCount; depth++) {
      for (let i = 0; i < runs.length && out.length < maxCount;) {
        const entry = runs[i][depth] as Entry | undefined;
        const cost = entry === undefined ? 0 : transactionBlockBytes(entry.tx);
        if (entry === undefined || cost > room) {
          runs.splice(i, 1); // the run ends here: a later nonce would leave a gap
          continue;
        }
        room -= cost;
        out.push(entry.tx);
        i++;
      }
    }
    return out;
  }

  /**
   * After each committed block: drops every transaction below its account's next nonce (included
   * or replaced) and every one older than the TTL.
   */
  recheck(nextNonces: ReadonlyMap<Address, bigint>, nowMs = Date.now()): void {
    const expiredBefore = nowMs - this.limits.ttlMs;
    for (const [from, account] of this.accounts) {
      const next = nextNonces.get(from) ?? 0n;
      for (const [nonce, entry] of account.byNonce) {
        if (nonce < next || entry.arrivedMs < expiredBefore) this.remove(entry);
      }
    }
  }

  private formError(tx: Transaction): string | null {
    let bytes: number;
    try {
      bytes = transactionBytes(tx);
    } catch {
      return "malformed transaction";
    }
    if (bytes > this.limits.maxTransactionBytes) return `${bytes} bytes > ${this.limits.maxTransactionBytes}`;
    return transactionFormError(this.chainId, tx);
  }

  /** Each account's gap-free nonce run from its next nonce, runs ordered by their first arrival. */
  private includableRuns(nextNonces: ReadonlyMap<Address, bigint>): Entry[][] {
    const runs: Entry[][] = [];
    for (const [from, account] of this.accounts) {
      const run: Entry[] = [];
      for (let nonce = nextNonces.get(from) ?? 0n; ; nonce++) {
        const entry = account.byNonce.get(nonce);
        if (entry === undefined) break;
        run.push(entry);
      }
      if (run.length > 0) runs.push(run);
    }
    return runs.sort((a, b) => a[0].seq - b[0].seq);
  }

  /**
   * Frees room for `bytes` more by evicting the newest transactions of the heaviest other
   * accounts, as long as each holds more than the newcomer's account would (`newcomerBytes`).
   * Evicts nothing unless enough room can be made.
   */
  private makeRoom(newcomer: Address, newcomerBytes: number, bytes: number): boolean {
    const fits = () => this.bytes + bytes <= this.limits.maxBytes && this.byHash.size < this.limits.maxTransactions;
    if (fits()) return true;
    const victims: Entry[] = [];
    const remaining = new Map([...this.accounts].map(([from, a]) => [from, { bytes: a.bytes, count: a.byNonce.size }]));
    let freedBytes = 0;
    let freedCount = 0;
    const fitsAfter = () =>
      this.bytes - freedBytes + bytes <= this.limits.maxBytes &&
      this.byHash.size - freedCount < this.limits.maxTransactions;
    while (!fitsAfter()) {
      const heaviest = this.heaviestOther(newcomer, remaining);
      if (heaviest === null || heaviest.bytes <= newcomerBytes) return false;
      const account = this.accounts.get(heaviest.from)!;
      const victim = newestOf(account, heaviest.count);
      victims.push(victim);
      freedBytes += victim.bytes;
      freedCount++;
      const left = remaining.get(heaviest.from)!;
      left.bytes -= victim.bytes;
      left.count--;
    }
    for (const victim of victims) this.remove(victim);
    return true;
  }

  private heaviestOther(
    newcomer: Address,
    remaining: ReadonlyMap<Address, { bytes: number; count: number }>,
  ): { from: Address; bytes: number; count: number } | null {
    let heaviest: { from: Address; bytes: number; count: number } | null = null;
    for (const [from, left] of remaining) {
      if (from === newcomer || left.count === 0) continue;
      if (heaviest === null || left.bytes > heaviest.bytes) heaviest = { from, ...left };
    }
    return heaviest;
  }

  private insert(entry: Entry): void {
    let account = this.accounts.get(entry.tx.from);
    if (account === undefined) {
      account = { byNonce: new Map(), bytes: 0 };
      this.accounts.set(entry.tx.from, account);
    }
    account.byNonce.set(entry.tx.nonce, entry);
    account.bytes += entry.bytes;
    this.byHash.set(entry.hash, entry);
    this.bytes += entry.bytes;
  }

  private remove(entry: Entry): void {
    const account = this.accounts.get(entry.tx.from);
    if (account === undefined || account.byNonce.get(entry.tx.nonce) !== entry) return;
    account.byNonce.delete(entry.tx.nonce);
    account.bytes -= entry.bytes;
    if (account.byNonce.size === 0) this.accounts.delete(entry.tx.from);
    this.byHash.delete(entry.hash);
    this.bytes -= entry.bytes;
  }
}

/** The account's `count`-th newest entry by nonce (highest nonces go first: they are included last). */
function newestOf(account: Account, count: number): Entry {
  const nonces = [...account.byNonce.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return account.byNonce.get(nonces[count - 1])!;
}
