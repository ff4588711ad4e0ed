import { expect } from "chai";
import { toHex } from "../../node/chain/bytes";
import { proposerFor } from "../../node/chain/epochs";
import { decodeConsensusMessage } from "../../node/consensus/messageCodec";
import type { ConsensusMessage } from "../../node/consensus/messages";
import { rpcCall, waitFor } from "../../node/testing/processCluster";
import { InProcessChain, keyOf } from "../helpers/inProcessChain";
import { MinimalPeer } from "../p2p/minimalPeer";

/** Long enough that the node's first resend tick (one propose timeout after start) is not due during the test. */
const PROPOSE_TIMEOUT_MS = 60_000;

/**
 * A peer that connects mid-round has missed every message of it. Each node resends its own
 * messages every tick (a propose timeout): a returning representative, or one whose links were
 * cut, waited up to that long for them. Now they go out when a peer connects.
 */
describe("a node's own consensus messages reach a peer as it connects (1 in-process representative of 4)", function () {
  this.timeout(120_000);
  const chain = new InProcessChain(4);
  let peer: MinimalPeer | undefined;

  before(() => chain.setUp());
  after(async () => {
    peer?.close();
    await chain.tearDown();
  });

  /** The consensus messages among the frames the peer received (gossip: 0x01 ‖ topic length ‖ topic ‖ data). */
  function consensusMessages(frames: readonly Buffer[]): ConsensusMessage[] {
    return frames
      .filter((f) => f[0] === 0x01 && f.subarray(2, 2 + f[1]).toString("latin1") === "consensus")
      .map((f) => decodeConsensusMessage(f.subarray(2 + f[1])));
  }

  it("sends the proposal and the vote of its current round at once, not at its next tick", async () => {
    // The proposer of height 1, round 0: alone it proposes, prevotes its block and waits for a quorum.
    const proposer = chain.keys.find((k) => k.address === proposerFor(chain.genesis.representatives, 1, 0))!;
    const node = await chain.start(proposer, "proposer", { proposeTimeoutMs: PROPOSE_TIMEOUT_MS });
    const startedAt = Date.now();
    await waitFor("its proposal and prevote", 30_000, async () => {
      const s = await rpcCall<{ step: string }>(node.rpcUrl, "repchain_status");
      return s.step !== "propose";
    });
    peer = new MinimalPeer({
      url: `ws://127.0.0.1:${node.p2pPort}`,
      chainId: chain.genesis.chainId,
      genesisHash: chain.genesisHash,
      privateKey: toHex(keyOf("a late peer").privateKey),
    });
    await peer.authenticated;
    await waitFor("its messages at the peer", 10_000, async () => consensusMessages(peer!.received).length >= 2);
    expect(Date.now() - startedAt, "before its first tick").to.be.below(PROPOSE_TIMEOUT_MS);
    const got = consensusMessages(peer.received);
    expect(got.map((m) => m.type)).to.include.members(["proposal", "vote"]);
    for (const m of got) if (m.type !== "commit") expect(m).to.include({ height: 1, round: 0 });
  });
});
