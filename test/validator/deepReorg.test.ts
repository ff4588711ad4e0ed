import { expect } from "chai";
import hre from "hardhat";
import { takeSnapshot } from "@nomicfoundation/hardhat-network-helpers";
import type { L1HaltReport } from "../../node/rpc/nodeView";
import { rpcCall, waitFor } from "../../node/testing/processCluster";
import { InProcessChain } from "../helpers/inProcessChain";

interface Status {
  height: number;
  l1: { confirmedBlock: number; headBlock: number };
  l1Halt?: L1HaltReport;
}

/**
 * A real reorg of the in-process Hardhat L1 deeper than the genesis's confirmation depth (1), under
 * a running node (startNode: follower, LevelDB, RPC) whose chain already anchored above the fork.
 * Hardhat has no reorg RPC: a snapshot taken before is restored and a longer, different history is
 * mined on top (other timestamps, so other hashes).
 */
describe("a reorg deeper than the confirmation depth (a running node on Hardhat)", function () {
  this.timeout(240_000);
  const chain = new InProcessChain(1, { l1Confirmations: 1 });

  before(async () => {
    await chain.setUp();
    await chain.startRepresentatives();
  });
  after(() => chain.tearDown());

  const status = () => rpcCall<Status>(chain.nodes[0].rpcUrl, "repchain_status");
  const anchorOf = async (height: number) =>
    (await rpcCall<{ header: { l1AnchorNumber: number } }>(chain.nodes[0].rpcUrl, "repchain_getBlock", [height])).header
      .l1AnchorNumber;
  const l1Hash = async (n: number) => (await hre.ethers.provider.getBlock(n))!.hash;
  /** Mines one L1 block and waits until the follower ingested it (it keeps the header of each range's end). */
  async function mineSeen(): Promise<void> {
    await hre.network.provider.send("evm_mine", []);
    const head = await hre.ethers.provider.getBlockNumber();
    await waitFor(`the follower at L1 block ${head}`, 30_000, async () => (await status()).l1.headBlock >= head);
  }

  it("stops importing, keeps serving RPC, and reports the blocks involved and the operator's action", async function () {
    const node = chain.nodes[0];
    let fatal: Error | null = null;
    node.fatal.catch((err: Error) => (fatal = err));
    await waitFor("the first L2 blocks", 60_000, async () => (await status()).height >= 1);
    const fork = await takeSnapshot();
    const forkBlock = await hre.ethers.provider.getBlockNumber();
    for (let i = 0; i < 4; i++) await mineSeen();
    // The chain anchors to a block above the fork: that anchor is about to disappear from L1.
    let anchored = { height: 0, number: 0 };
    await waitFor("an L2 block anchored above the fork", 60_000, async () => {
      const { height } = await status();
      anchored = { height, number: await anchorOf(height) };
      return anchored.number > forkBlock;
    });
    const oldAnchorHash = await l1Hash(anchored.number);

    await fork.restore();
    const { timestamp } = (await hre.ethers.provider.getBlock(forkBlock))!;
    await hre.network.provider.send("evm_setNextBlockTimestamp", [timestamp + 1000]);
    for (let i = 0; i < 8; i++) await hre.network.provider.send("evm_mine", []);
    expect(await l1Hash(anchored.number), "L1 replaced the anchored block").to.not.equal(oldAnchorHash);

    await waitFor("the deep-reorg report", 60_000, async () => (await status()).l1Halt !== undefined).catch(
      async (err: Error) => expect.fail(`${err.message}; status ${JSON.stringify(await status())}; fatal ${fatal}`),
    );
    const report = (await status()).l1Halt!;
    const seen = `report ${JSON.stringify(report)}, fork at ${forkBlock}, anchored ${JSON.stringify(anchored)}`;
    expect(report.code).to.equal("L1_DEEP_REORG");
    expect(report.l1Confirmations).to.equal(1);
    // The follower's confirmed block: above the fork, with its old hash, and what L1 has there now.
    expect(report.confirmedBlock.number, seen).to.be.above(forkBlock);
    // The follower may look between the snapshot's restore and the new blocks: L1 has none there yet (null).
    expect([null, await l1Hash(report.confirmedBlock.number)], seen).to.include(report.confirmedBlock.l1HashNow);
    expect(report.confirmedBlock.hash).to.not.equal(report.confirmedBlock.l1HashNow);
    // The chain's anchor: the L1 block its newest finalized block names, and L1's block there now.
    expect(report.chainAnchor.number, seen).to.be.at.least(anchored.number);
    expect(report.chainAnchor.height).to.be.at.least(anchored.height);
    expect(report.chainAnchor.number).to.equal(await anchorOf(report.chainAnchor.height));
    expect([null, await l1Hash(report.chainAnchor.number)], seen).to.include(report.chainAnchor.l1HashNow);
    expect(report.chainAnchor.hash).to.not.equal(report.chainAnchor.l1HashNow);
    expect(report.message).to.contain(`L1 block ${report.confirmedBlock.number}`);
    expect(report.action).to.contain("point rpcUrl at a healthy L1 node").and.to.contain("--l1-confirmations");

    const metrics = await (await fetch(`${node.rpcUrl}/metrics`)).text();
    expect(metrics).to.match(/^repchain_l1_halted 1$/m);

    // Stopped, not diverging: no block is finalized any more (a lone representative makes one
    // every ~0.5 s), though L1 goes on; RPC keeps answering; the node did not fail.
    const halted = (await status()).height;
    expect(halted, seen).to.equal(report.chainAnchor.height);
    for (let i = 0; i < 6; i++) {
      await hre.network.provider.send("evm_mine", []);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await status()).height, seen).to.equal(halted);
    }
    expect(fatal, seen).to.equal(null);

    // The store was not touched: a restart on the same data directory finds the same fault and
    // stops at the same height with the same blocks reported.
    await node.stop();
    const again = await chain.start(chain.keys[0], "rep0");
    const statusAgain = () => rpcCall<Status>(again.rpcUrl, "repchain_status");
    await waitFor("the report after a restart", 60_000, async () => (await statusAgain()).l1Halt !== undefined);
    const after = await statusAgain();
    expect(after.height, seen).to.equal(halted);
    expect(after.l1Halt!.confirmedBlock.number, seen).to.equal(report.confirmedBlock.number);
    expect(after.l1Halt!.confirmedBlock.hash, seen).to.equal(report.confirmedBlock.hash);
    expect(after.l1Halt!.chainAnchor, seen).to.deep.include({ height: halted, hash: report.chainAnchor.hash });
  });
});
