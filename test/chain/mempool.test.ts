import { expect } from "chai";
import { Mempool, MempoolRejection } from "../../node/chain/mempool";
import { signTransaction } from "../../node/chain/transaction";
import type { Address } from "../../node/types/primitives";
import { testKey } from "./fixtures";

const CHAIN = 1337n;
const alice = testKey(1);
const bob = testKey(2);
const tx = (key = alice, nonce = 0n, payload: `0x${string}` = "0x01") => signTransaction(CHAIN, key, nonce, payload);

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
    const pool = new Mempool(CHAIN, { maxTransactions: 100, maxPerAccount: 4 });
    expect(rejected(pool.add(tx(alice, 2n), 3n))).to.equal(MempoolRejection.NONCE_TOO_LOW);
    expect(rejected(pool.add(tx(alice, 7n), 3n))).to.equal(MempoolRejection.NONCE_TOO_HIGH);
  });

  it("is bounded in total and per account", () => {
    const pool = new Mempool(CHAIN, { maxTransactions: 3, maxPerAccount: 2 });
    pool.add(tx(alice, 0n), 0n);
    pool.add(tx(alice, 1n), 0n);
    expect(rejected(pool.add(tx(alice, 2n), 0n))).to.be.oneOf([MempoolRejection.FULL, MempoolRejection.NONCE_TOO_HIGH]);
    pool.add(tx(bob, 0n), 0n);
    expect(rejected(pool.add(tx(testKey(3), 0n), 0n))).to.equal(MempoolRejection.FULL);
    expect(pool.size).to.equal(3);
  });

  it("hands out gap-free nonce runs in a deterministic order, and prunes what was included", () => {
    const pool = new Mempool(CHAIN);
    for (const t of [tx(bob, 1n), tx(alice, 1n), tx(bob, 0n), tx(alice, 0n), tx(alice, 3n)]) pool.add(t, 0n);
    const pending = pool.pending(new Map(), 10);
    const order = [alice.address, bob.address].sort();
    // alice 3 waits for 2: a gap is never handed out.
    const expected = order.flatMap((a) => [
      [a, 0n],
      [a, 1n],
    ]);
    expect(pending.map((t) => [t.from, t.nonce])).to.deep.equal(expected);
    pool.prune(new Map<Address, bigint>([[alice.address, 2n]]));
    expect(
      pool.pending(new Map<Address, bigint>([[alice.address, 2n]]), 10).map((t) => [t.from, t.nonce]),
    ).to.deep.equal([
      [bob.address, 0n],
      [bob.address, 1n],
    ]);
    expect(pool.size).to.equal(3);
  });
});
