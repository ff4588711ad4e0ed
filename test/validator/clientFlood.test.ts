import { expect } from "chai";
import { encodeTransaction } from "../../node/chain/transaction";
import { toHex } from "../../node/chain/bytes";
import { signTransaction } from "../../node/chain/transaction";
import type { Transaction } from "../../node/chain/transaction";
import { rpcCall, waitFor } from "../../node/testing/processCluster";
import { InProcessChain, keyOf } from "../helpers/inProcessChain";

const BURST = 450;
const FRESH_KEYS = 250;
const TRICKLE_PER_S = 10;
const TRICKLE_S = 15;

interface Status {
  height: number;
  mempoolSize: number;
}

/**
 * The client flood of issue 11, against four real representatives: a burst of 450
 * maximum-size transactions from 250 fresh keys, then 10 a second. Before the byte budgets it
 * made every proposal larger than a frame and block production stopped for good (0.03 blocks/s
 * during, 0.00 after, the mempool stuck at 587).
 */
describe("a client flooding maximum-size transactions (4 in-process representatives)", function () {
  this.timeout(300_000);
  const chain = new InProcessChain(4);

  before(async () => {
    await chain.setUp();
    await chain.startRepresentatives();
  });

  after(() => chain.tearDown());

  const status = (i: number) => rpcCall<Status>(chain.nodes[i].rpcUrl, "repchain_status");
  const heightNow = async () =>
    Math.max(...(await Promise.all(chain.nodes.map((_, i) => status(i)))).map((s) => s.height));

  async function blocksPerSecond(windowMs: number): Promise<number> {
    const h0 = await heightNow();
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, windowMs));
    return ((await heightNow()) - h0) / ((Date.now() - t0) / 1000);
  }

  it("keeps finalizing blocks during and after the flood, and includes every transaction", async () => {
    await waitFor("the chain to start finalizing", 120_000, async () => (await heightNow()) >= 3);
    const before = await blocksPerSecond(5000);

    const payloadBytes = chain.genesis.maxTransactionBytes - 97;
    const payload = toHex(new Uint8Array(payloadBytes).fill(0xab));
    const keys = Array.from({ length: FRESH_KEYS }, (_, i) => keyOf(`flooding client ${i}`));
    const nonces = new Map<number, bigint>();
    const next = (i: number): Transaction => {
      const k = i % FRESH_KEYS;
      const nonce = nonces.get(k) ?? 0n;
      nonces.set(k, nonce + 1n);
      return signTransaction(chain.genesis.chainId, keys[k], nonce, payload);
    };
    const send = async (tx: Transaction, node: number) =>
      rpcCall<{ hash: string }>(chain.nodes[node].rpcUrl, "repchain_sendTransaction", [toHex(encodeTransaction(tx))]);

    const burst = Array.from({ length: BURST }, (_, i) => next(i));
    expect(encodeTransaction(burst[0]).length).to.equal(chain.genesis.maxTransactionBytes);
    const hashes = (await Promise.all(burst.map((tx, i) => send(tx, i % 4)))).map((r) => r.hash);

    const floodStart = await heightNow();
    const t0 = Date.now();
    for (let i = 0; i < TRICKLE_PER_S * TRICKLE_S; i++) {
      hashes.push((await send(next(BURST + i), i % 4)).hash);
      await new Promise((r) => setTimeout(r, 1000 / TRICKLE_PER_S));
    }
    const during = ((await heightNow()) - floodStart) / ((Date.now() - t0) / 1000);

    await waitFor("every node's mempool to drain", 120_000, async () =>
      (await Promise.all(chain.nodes.map((_, i) => status(i)))).every((s) => s.mempoolSize === 0),
    );
    const after = await blocksPerSecond(5000);
    console.log(`      blocks/s before ${before.toFixed(2)}, during ${during.toFixed(2)}, after ${after.toFixed(2)}`);

    expect(during, "blocks/s during the flood").to.be.above(0.1);
    expect(after, "blocks/s after the flood").to.be.above(0.1);
    for (const hash of [hashes[0], hashes[BURST - 1], hashes[hashes.length - 1]]) {
      const tx = await rpcCall<{ status: string }>(chain.nodes[3].rpcUrl, "repchain_getTransaction", [hash]);
      expect(tx.status).to.equal("finalized");
    }
  });
});
