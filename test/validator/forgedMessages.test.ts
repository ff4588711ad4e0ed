import { expect } from "chai";
import { randomBytes } from "node:crypto";
import hre from "hardhat";
import { toHex } from "../../node/chain/bytes";
import { MAX_TARGET } from "../../node/chain/pow";
import { signDigest, type KeyPair } from "../../node/chain/signing";
import type { BlockHeader } from "../../node/chain/types";
import { voteDigest } from "../../node/chain/voteDigest";
import { encodeConsensusMessage } from "../../node/consensus/messageCodec";
import type { ConsensusMessage } from "../../node/consensus/messages";
import type { Address, Hex } from "../../node/types/primitives";
import { InProcessChain, keyOf } from "../helpers/inProcessChain";
import { rpcCall, waitFor } from "../../node/testing/processCluster";
import { startRpcProxy, type RpcProxy } from "../helpers/rpcProxy";
import { MinimalPeer } from "../p2p/minimalPeer";

const ATTACKERS = 30;
const PER_ATTACKER = 12;

const random = (bytes: number): Hex => toHex(new Uint8Array(randomBytes(bytes)));
/** 65 bytes that look like a signature (v = 27) but were made by no key. */
const forgedSignature = (): Hex => `${random(64)}1b` as Hex;

/**
 * Unverified messages were buffered and flooded: of 337 unsigned or badly signed proposals and
 * votes sent to one node, 328 reached observers on two others, the node lost its links to every
 * honest peer (they banned it for forwarding them), and it fetched an L1 header for every anchor an
 * unverified proposal named. Four in-process representatives; the attackers connect to rep3 only,
 * as outside peers, from fresh keys (a ban costs them nothing).
 */
describe("forged consensus messages sent to one node (4 in-process representatives)", function () {
  this.timeout(300_000);
  const chain = new InProcessChain(4);
  let proxy: RpcProxy;
  const watchers: MinimalPeer[] = [];

  before(async () => {
    // L1 blocks below the registries' deployment: no honest message ever names them as anchors.
    await hre.network.provider.send("hardhat_mine", ["0x20"]);
    await chain.setUp();
    proxy = await startRpcProxy(chain.l1Url);
    for (const [i, key] of chain.keys.entries())
      await chain.start(key, `rep${i}`, i === 3 ? { rpcUrl: proxy.url } : {});
  });

  after(async () => {
    for (const w of watchers) w.close();
    await chain.tearDown();
    await proxy?.close();
  });

  const status = (i: number) => rpcCall<{ height: number; peers: string[] }>(chain.nodes[i].rpcUrl, "repchain_status");

  function watcher(node: number, name: string): MinimalPeer {
    const key = keyOf(name);
    const peer = new MinimalPeer({
      url: `ws://127.0.0.1:${chain.nodes[node].p2pPort}`,
      chainId: chain.genesis.chainId,
      genesisHash: chain.genesisHash,
      privateKey: toHex(key.privateKey),
    });
    watchers.push(peer);
    return peer;
  }

  function attackMessages(attacker: KeyPair, height: number, anchors: number[]): ConsensusMessage[] {
    const reps = chain.keys.map((k) => k.address);
    const out: ConsensusMessage[] = [];
    for (let i = 0; out.length < PER_ATTACKER; i++) {
      const h = height + (i % 2); // the current height and the next one
      const round = 1000 + i;
      const vote = (validator: Address, signature: Hex, voteHeight = h): ConsensusMessage => ({
        type: "vote",
        kind: i % 3 === 0 ? "precommit" : "prevote",
        height: voteHeight,
        round,
        blockHash: random(32),
        validator,
        signature,
      });
      const header: BlockHeader = {
        chainId: chain.genesis.chainId,
        height: h,
        epoch: 0,
        round,
        parentHash: random(32),
        timestamp: Date.now(),
        proposer: reps[i % 4],
        l1AnchorNumber: anchors[i % anchors.length],
        l1AnchorHash: random(32),
        eventsRoot: random(32),
        evidenceRoot: random(32),
        txRoot: random(32),
        electionResultHash: random(32),
        lastCommitHash: random(32),
        powTarget: MAX_TARGET,
        nonce: 0n,
      };
      const block = {
        header,
        body: { events: [], evidence: [], transactions: [], electionResult: null, lastCommit: null },
        proposerSignature: "0x" as Hex,
      };
      const ownVote = voteDigest("prevote", chain.genesis.chainId, h, round, random(32));
      out.push(
        vote(reps[i % 4], forgedSignature()), // a representative's id, no representative's signature
        vote(reps[i % 4], `0x${"00".repeat(65)}` as Hex), // unsigned
        vote(attacker.address, signDigest(ownVote, attacker.privateKey)), // signed, by a non-member
        vote(reps[i % 4], forgedSignature(), 1), // stale
        { type: "proposal", height: h, round, validRound: -1, block, signature: forgedSignature() },
        { type: "proposal", height: h, round, validRound: -1, block, signature: `0x${"00".repeat(65)}` as Hex },
      );
    }
    return out.slice(0, PER_ATTACKER);
  }

  it("does not buffer, forward or look up L1 for them, and keeps its honest links and finality", async () => {
    await waitFor("the chain to finalize", 120_000, async () => (await status(3)).height >= 3);
    const watchAt = [watcher(0, "watcher at rep0"), watcher(1, "watcher at rep1")];
    await Promise.all(watchAt.map((w) => w.authenticated));
    const deploymentBlock = chain.genesis.l1.deploymentBlock;
    const anchors = [deploymentBlock - 30, deploymentBlock - 20, deploymentBlock - 10];
    expect(anchors[0]).to.be.above(0);

    const sent = new Set<string>();
    const startHeight = (await status(3)).height + 1;
    for (let a = 0; a < ATTACKERS; a++) {
      const attacker = keyOf(`attacker ${a}`);
      const peer = new MinimalPeer({
        url: `ws://127.0.0.1:${chain.nodes[3].p2pPort}`,
        chainId: chain.genesis.chainId,
        genesisHash: chain.genesisHash,
        privateKey: toHex(attacker.privateKey),
      });
      watchers.push(peer);
      await peer.authenticated;
      for (const message of attackMessages(attacker, startHeight, anchors)) {
        const bytes = Buffer.from(encodeConsensusMessage(message));
        sent.add(bytes.toString("hex"));
        peer.gossip("consensus", bytes);
      }
    }
    const attackEnd = (await status(3)).height;
    await waitFor(
      "finality to go on for 3 more blocks",
      120_000,
      async () => (await status(3)).height >= attackEnd + 3,
    );

    const reached = watchAt.flatMap((w) => w.received).filter((m) => sent.has(m.subarray(2 + 9).toString("hex")));
    const honest = watchAt
      .flatMap((w) => w.received)
      .filter((m) => m.subarray(2, 11).toString("latin1") === "consensus");
    expect(sent.size).to.equal(ATTACKERS * PER_ATTACKER);
    expect(honest.length, "the watchers see the honest traffic").to.be.above(10);
    expect(reached.length, "forged messages that reached a watcher on another node").to.equal(0);

    const lookedUp = proxy.seen
      .filter((c) => c.method === "eth_getBlockByNumber")
      .map((c) => Number(c.params[0] as string))
      .filter((n) => anchors.includes(n));
    expect(lookedUp, "L1 headers fetched for anchors only forged messages named").to.deep.equal([]);

    const { peers } = await status(3);
    for (const rep of chain.keys.slice(0, 3)) expect(peers, "rep3's honest links").to.include(rep.address);
  });
});
