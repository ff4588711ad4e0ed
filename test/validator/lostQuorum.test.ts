import { expect } from "chai";
import { InProcessChain } from "../helpers/inProcessChain";
import { rpcCall, waitFor } from "../../node/testing/processCluster";
import { startRpcProxy, type RpcProxy } from "../helpers/rpcProxy";
import { FAST_NODE_SETTINGS } from "../../node/testing/processCluster";

interface Status {
  height: number;
  round: number;
  step: string;
}

/** How long each L1 call of the returning node is held: longer than the survivors' resend period. */
const SLOW_L1_MS = 2 * FAST_NODE_SETTINGS.proposeTimeoutMs;

/**
 * The stall of issue 11 (2 of 4 full test runs, network.test.ts): with 2 of 4 representatives
 * stopped the survivors sit at one height, resending their votes each tick, and sign nothing new.
 * A returning representative connects to them before its consensus starts (it first checks its
 * stored L1 history). Resent votes that arrived in that window were IGNOREd ("too far ahead" of
 * height 0) — and marked seen by the gossip layer, so every later copy, byte for byte the same,
 * was dropped unread: the returning node never counted the survivors' votes, and finality never
 * came back. Here the window is made certain: the returning node's L1 answers slowly.
 */
describe("a representative returning to a set without quorum (4 in-process representatives)", function () {
  this.timeout(300_000);
  const chain = new InProcessChain(4);
  let proxy: RpcProxy;

  before(async () => {
    await chain.setUp();
    await chain.startRepresentatives();
    proxy = await startRpcProxy(chain.l1Url);
  });

  after(async () => {
    await chain.tearDown();
    await proxy?.close();
  });

  const status = (i: number) => rpcCall<Status>(chain.nodes[i].rpcUrl, "repchain_status");

  it("restores finality even when the survivors' resent votes reach it before its consensus starts", async () => {
    await waitFor("the chain to finalize", 120_000, async () => (await status(0)).height >= 3);
    await Promise.all([chain.nodes[2].stop(), chain.nodes[3].stop()]);
    let stalled = 0;
    await waitFor("both survivors at one height, voted and waiting for a quorum", 60_000, async () => {
      const [a, b] = await Promise.all([status(0), status(1)]);
      stalled = a.height;
      return a.height === b.height && a.round === b.round && [a, b].every((s) => s.step !== "propose");
    });
    // The returning node's L1 answers slowly for its first seconds: its start-up check of the stored
    // L1 history then outlasts a resend period of the survivors.
    const slowUntil = Date.now() + 2 * SLOW_L1_MS;
    proxy.rule = () => (Date.now() < slowUntil ? { action: "forward", delayMs: SLOW_L1_MS } : { action: "forward" });
    const returned = chain.nodes.length;
    await chain.start(chain.keys[3], "rep3", { rpcUrl: proxy.url });
    await waitFor("finality resumed", 60_000, async () => (await status(0)).height > stalled + 1);
    await waitFor("the returned node to hold it", 60_000, async () => (await status(returned)).height > stalled + 1);
    const [a, b] = await Promise.all(
      [0, returned].map((i) => rpcCall<{ hash: string }>(chain.nodes[i].rpcUrl, "repchain_getBlock", [stalled + 1])),
    );
    expect(b.hash).to.equal(a.hash);
  });
});
