import { expect } from "chai";
import { DEFAULT_MEMPOOL_LIMITS, Mempool, MempoolRejection, type MempoolLimits } from "../../node/chain/mempool";
import { signTransaction } from "../../node/chain/transaction";
import { transactionHash } from "../../node/chain/transaction";
import type { Address } from "../../node/types/primitives";
import { testKey } from "../../node/testing/keys";

const CHAIN = 1337n;
const alice = testKey(1);
const bob = testKey(2);
const tx = (key = alice, nonce = 0n, payload: `0x${string}` = "0x01") => signTransaction(CHAIN, key, nonce, payload);
const limits = (overrides: Partial<MempoolLimits>): MempoolLimits => ({ ...DEFAULT_MEMPOOL_LIMITS, ...overrides });
/** A payload making a transaction of exactly `bytes` bytes (97 bytes of envelope). */
const payloadOf = (bytes: number): `0x${string}` => `0x${"ab".repeat(bytes - 97)}`;

function rejected(result: ReturnType<Mempool["add"]>): MempoolRejection {
  expect(result.accepted).to.equal(false);
  return (result as { reason: MempoolRejection }).reason;
}

describe("Mempool", () => {
  it("accepts a signed transaction and returns its hash", () => {
    const pool = new Mempool(CHAIN);
    const r = pool.add(tx(), 0n);
    expect(r.accepted).to.equal(true);
    expect(pool.has((r as { hash: `0x${string}` }).hash)).to.equal(true);
  });

  it("rejects a bad signature, another chain's signature and an oversized payload, and keeps nothing", () => {
    const pool = new Mempool(CHAIN);
    expect(rejected(pool.add({ ...tx(), payload: "0x02" }, 0n))).to.equal(MempoolRejection.BAD_TRANSACTION);
    expect(rejected(pool.add(signTransaction(1n, alice, 0n, "0x01"), 0n))).to.equal(MempoolRejection.BAD_TRANSACTION);
    expect(rejected(pool.add({ ...tx(), from: bob.address }, 0n))).to.equal(MempoolRejection.BAD_TRANSACTION);
    expect(rejected(pool.add(tx(alice, 0n, `0x${"00".repeat(5000)}`), 0n))).to.equal(MempoolRejection.BAD_TRANSACTION);
    expect(pool.size).to.equal(0);
  });

  it("rejects duplicates: the same transaction, or another one for a taken (account, nonce)", () => {
    const pool = new Mempool(CHAIN);
    pool.add(tx(), 0n);
    expect(rejected(pool.add(tx(), 0n))).to.equal(MempoolRejection.DUPLICATE);
    expect(rejected(pool.add(tx(alice, 0n, "0x99"), 0n))).to.equal(MempoolRejection.DUPLICATE);
    expect(pool.size).to.equal(1);
  });

  it("rejects stale and far-future nonces", () => {
    const pool = new Mempool(CHAIN, limits({ maxTransactions: 100, maxPerAccount: 4 }));
    expect(rejected(pool.add(tx(alice, 2n), 3n))).to.equal(MempoolRejection.NONCE_TOO_LOW);
    expect(rejected(pool.add(tx(alice, 7n), 3n))).to.equal(MempoolRejection.NONCE_TOO_HIGH);
  });

  it("is bounded in total and per account", () => {
    const pool = new Mempool(CHAIN, limits({ maxTransactions: 3, maxPerAccount: 2 }));
    pool.add(tx(alice, 0n), 0n);
    pool.add(tx(alice, 1n), 0n);
    expect(rejected(pool.add(tx(alice, 2n), 0n))).to.be.oneOf([MempoolRejection.FULL, MempoolRejection.NONCE_TOO_HIGH]);
    pool.add(tx(bob, 0n), 0n);
    // bob would then hold more than alice: nobody is evicted for him.
    expect(rejected(pool.add(tx(bob, 1n), 0n))).to.equal(MempoolRejection.FULL);
    // carol holds nothing: alice, the heaviest, makes room with her newest.
    expect(pool.add(tx(testKey(3), 0n), 0n).accepted).to.equal(true);
    expect(pool.size).to.equal(3);
    expect(pool.has(transactionHash(tx(alice, 1n)))).to.equal(false);
  });

  it("hands out gap-free nonce runs, round-robin over accounts in arrival order, and rechecks after a block", () => {
    const pool = new Mempool(CHAIN);
    for (const t of [tx(bob, 1n), tx(alice, 1n), tx(bob, 0n), tx(alice, 0n), tx(alice, 3n)]) pool.add(t, 0n, 1000);
    // bob's next transaction (nonce 0) arrived before alice's; alice 3 waits for 2: a gap is never handed out.
    expect(pool.pending(new Map(), 10).map((t) => [t.from, t.nonce])).to.deep.equal([
      [bob.address, 0n],
      [alice.address, 0n],
      [bob.address, 1n],
      [alice.address, 1n],
    ]);
    const next = new Map<Address, bigint>([[alice.address, 2n]]);
    pool.recheck(next, 1000);
    expect(pool.pending(next, 10).map((t) => [t.from, t.nonce])).to.deep.equal([
      [bob.address, 0n],
      [bob.address, 1n],
    ]);
    expect(pool.size).to.equal(3);
  });

  it("orders by arrival, never by address: ground low addresses gain nothing", () => {
    const pool = new Mempool(CHAIN);
    const senders = [5, 6, 7, 8, 9].map(testKey);
    for (const key of senders) pool.add(tx(key), 0n);
    const byAddress = [...senders].sort((a, b) => (a.address < b.address ? -1 : 1));
    expect(byAddress.map((k) => k.address)).to.not.deep.equal(senders.map((k) => k.address));
    expect(pool.pending(new Map(), 10).map((t) => t.from)).to.deep.equal(senders.map((k) => k.address));
  });

  it("gives every sender its turn in a block before any sender gets a second", () => {
    const pool = new Mempool(CHAIN);
    for (let n = 0n; n < 5n; n++) pool.add(tx(alice, n), 0n); // the flooder came first
    pool.add(tx(bob), 0n);
    expect(pool.pending(new Map(), 2).map((t) => t.from)).to.deep.equal([alice.address, bob.address]);
  });

  it("hands out no more than the byte budget and skips the rest of a sender that does not fit", () => {
    const pool = new Mempool(CHAIN);
    pool.add(tx(alice, 0n, payloadOf(1000)), 0n);
    pool.add(tx(alice, 1n, payloadOf(200)), 0n);
    pool.add(tx(bob, 0n, payloadOf(300)), 0n);
    // alice 0 (1000 + 4), bob 0 (300 + 4); alice 1 would fit but alice's run ended at the budget
    expect(pool.pending(new Map(), 10, 1400).map((t) => [t.from, t.nonce])).to.deep.equal([
      [alice.address, 0n],
      [bob.address, 0n],
    ]);
    expect(pool.pending(new Map(), 10, 1000).map((t) => t.from)).to.deep.equal([bob.address]);
  });

  it("refuses a transaction over the genesis' maxTransactionBytes", () => {
    const pool = new Mempool(CHAIN, limits({ maxTransactionBytes: 500 }));
    expect(pool.add(tx(alice, 0n, payloadOf(500)), 0n).accepted).to.equal(true);
    const r = pool.add(tx(bob, 0n, payloadOf(501)), 0n);
    expect(rejected(r)).to.equal(MempoolRejection.BAD_TRANSACTION);
    expect((r as { detail: string }).detail).to.equal("501 bytes > 500");
  });

  it("caps one account's bytes", () => {
    const pool = new Mempool(CHAIN, limits({ maxBytesPerAccount: 2500 }));
    pool.add(tx(alice, 0n, payloadOf(1000)), 0n);
    pool.add(tx(alice, 1n, payloadOf(1000)), 0n);
    expect(rejected(pool.add(tx(alice, 2n, payloadOf(1000)), 0n))).to.equal(MempoolRejection.FULL);
    expect(pool.add(tx(alice, 2n, payloadOf(400)), 0n).accepted).to.equal(true);
    expect(pool.byteSize).to.equal(2400);
  });

  it("is not clogged by a flood from many fresh keys: a light sender evicts the heaviest one's newest", () => {
    const pool = new Mempool(CHAIN, limits({ maxBytes: 10 * 1000 }));
    const flooders = Array.from({ length: 5 }, (_, i) => testKey(20 + i));
    for (const key of flooders) for (let n = 0n; n < 2n; n++) pool.add(tx(key, n, payloadOf(1000)), 0n);
    expect(pool.byteSize).to.equal(10_000);
    // a flooder would then hold more than any other: refused
    expect(rejected(pool.add(tx(flooders[0], 2n, payloadOf(1000)), 0n))).to.equal(MempoolRejection.FULL);
    const honest = pool.add(tx(alice, 0n, payloadOf(200)), 0n);
    expect(honest.accepted).to.equal(true);
    expect(pool.size).to.equal(10);
    expect(pool.byteSize).to.equal(9200);
    // the evicted one is a flooder's second (newest) nonce: its first is still includable
    expect(pool.pending(new Map(), 100).filter((t) => t.nonce === 0n)).to.have.length(6);
  });

  it("drops transactions older than the TTL on recheck", () => {
    const pool = new Mempool(CHAIN, limits({ ttlMs: 1000 }));
    pool.add(tx(alice), 0n, 5000);
    pool.add(tx(bob), 0n, 5500);
    pool.recheck(new Map(), 6000);
    expect(pool.size).to.equal(2);
    pool.recheck(new Map(), 6001);
    expect(pool.pending(new Map(), 10).map((t) => t.from)).to.deep.equal([bob.address]);
    expect(pool.byteSize).to.equal(98);
  });
});
