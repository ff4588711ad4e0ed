import { expect } from "chai";
import { signTransaction } from "../../node/chain/transaction";
import type { Address } from "../../node/types/governance";
import { Mempool, MempoolError, MempoolRejection } from "../../node/node/mempool";
import { testKey } from "../chain/fixtures";

const CHAIN_ID = 1337n;

function rejection(fn: () => unknown): MempoolRejection | null {
  try {
    fn();
    return null;
  } catch (err) {
    if (err instanceof MempoolError) return err.code;
    throw err;
  }
}

describe("Mempool", () => {
  const alice = testKey(1);
  const bob = testKey(2);
  const chainNonces = new Map<Address, bigint>();
  const pool = () =>
    new Mempool({
      chainId: CHAIN_ID,
      maxTransactions: 3,
      maxNonceGap: 5n,
      chainNonce: (a) => chainNonces.get(a) ?? 0n,
    });
  beforeEach(() => chainNonces.clear());

  it("hands out each account's consecutive nonces and drops what a block included", () => {
    const m = pool();
    m.add(signTransaction(CHAIN_ID, alice, 1n, "0x01"));
    m.add(signTransaction(CHAIN_ID, alice, 0n, "0x00"));
    m.add(signTransaction(CHAIN_ID, bob, 2n, "0x02")); // a gap: bob's nonce 0 is missing
    expect(m.pending(10).map((t) => [t.from, t.nonce])).to.deep.equal([
      [alice.address, 0n],
      [alice.address, 1n],
    ]);
    const included = m.pending(1);
    chainNonces.set(alice.address, 1n);
    m.removeIncluded(included);
    expect(m.size).to.equal(2);
    expect(m.pending(10).map((t) => t.nonce)).to.deep.equal([1n]);
  });

  it("rejects duplicates, bad signatures, stale or far nonces, and a full pool", () => {
    const m = pool();
    const tx = signTransaction(CHAIN_ID, alice, 0n, "0x00");
    m.add(tx);
    expect(rejection(() => m.add(tx))).to.equal(MempoolRejection.DUPLICATE);
    expect(rejection(() => m.add(signTransaction(CHAIN_ID, alice, 0n, "0x99")))).to.equal(MempoolRejection.DUPLICATE);
    expect(rejection(() => m.add({ ...signTransaction(CHAIN_ID, bob, 0n, "0x00"), from: alice.address }))).to.equal(
      MempoolRejection.MALFORMED,
    );
    expect(rejection(() => m.add(signTransaction(CHAIN_ID + 1n, bob, 0n, "0x00")))).to.equal(
      MempoolRejection.MALFORMED,
    );
    expect(rejection(() => m.add(signTransaction(CHAIN_ID, bob, 6n, "0x00")))).to.equal(MempoolRejection.NONCE_TOO_FAR);
    chainNonces.set(bob.address, 3n);
    expect(rejection(() => m.add(signTransaction(CHAIN_ID, bob, 2n, "0x00")))).to.equal(MempoolRejection.STALE_NONCE);
    m.add(signTransaction(CHAIN_ID, bob, 3n, "0x00"));
    m.add(signTransaction(CHAIN_ID, bob, 4n, "0x00"));
    expect(rejection(() => m.add(signTransaction(CHAIN_ID, bob, 5n, "0x00")))).to.equal(MempoolRejection.FULL);
    expect(m.size).to.equal(3);
  });
});
