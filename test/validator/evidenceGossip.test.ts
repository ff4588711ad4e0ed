import { expect } from "chai";
import { toHex } from "../../node/chain/bytes";
import { encodeEvidence, evidenceHash, MAX_EVIDENCE_BYTES, type Evidence } from "../../node/chain/evidence";
import type { EvidenceReport } from "../../node/rpc/nodeView";
import { rpcCall, waitFor } from "../../node/testing/processCluster";
import { doubleVote, voteHalf, type EvidenceTarget } from "../../node/testing/evidence";
import { InProcessChain, keyOf } from "../helpers/inProcessChain";
import { MinimalPeer } from "../p2p/minimalPeer";

const TOPIC = "evidence";

/**
 * The evidence topic between four in-process representatives: outside peers (fresh keys, connected
 * to rep3 only) send forged and real evidence; watchers on rep0 and rep1 see what is forwarded.
 */
describe("equivocation evidence over P2P (4 in-process representatives)", function () {
  this.timeout(300_000);
  const chain = new InProcessChain(4);
  const peers: MinimalPeer[] = [];

  before(async () => {
    await chain.setUp();
    await chain.startRepresentatives();
  });

  after(async () => {
    for (const p of peers) p.close();
    await chain.tearDown();
  });

  const status = (i: number) => rpcCall<{ height: number; peers: string[] }>(chain.nodes[i].rpcUrl, "repchain_status");
  const evidenceAt = (i: number) => rpcCall<EvidenceReport>(chain.nodes[i].rpcUrl, "repchain_getEvidence");

  function peer(node: number, name: string): MinimalPeer {
    const p = new MinimalPeer({
      url: `ws://127.0.0.1:${chain.nodes[node].p2pPort}`,
      chainId: chain.genesis.chainId,
      genesisHash: chain.genesisHash,
      privateKey: toHex(keyOf(name).privateKey),
    });
    peers.push(p);
    return p;
  }

  /** Evidence bytes that reached `watchers` (gossip frames: type, topic length, topic, data). */
  function seenBy(watchers: MinimalPeer[], sent: Set<string>): string[] {
    return watchers
      .flatMap((w) => w.received)
      .filter((m) => m[0] === 1 && m.subarray(2, 2 + TOPIC.length).toString("latin1") === TOPIC)
      .map((m) => m.subarray(2 + TOPIC.length).toString("hex"))
      .filter((hex) => sent.has(hex));
  }

  async function target(): Promise<EvidenceTarget> {
    return { config: { genesis: chain.genesis }, state: { height: (await status(3)).height } };
  }

  it("forged, foreign, future and oversized evidence is refused: not forwarded, not pooled, the sender banned", async () => {
    await waitFor("the chain to finalize", 120_000, async () => (await status(3)).height >= 2);
    const watchers = [peer(0, "watcher 0"), peer(1, "watcher 1")];
    await Promise.all(watchers.map((w) => w.authenticated));
    const t = await target();
    const [rep0, , rep2] = chain.keys;
    const valid = doubleVote(t, rep2, { round: 7 });
    const attacker = keyOf("evidence attacker");
    const forged: [string, Uint8Array][] = [
      [
        "bad signature",
        encodeEvidence({ ...valid, b: voteHalf(t, rep0, "prevote", valid.height, 7, valid.b.blockHash) }),
      ],
      [
        "honest key named, attacker's signatures",
        encodeEvidence({ ...doubleVote(t, attacker, { round: 7 }), signer: rep0.address }),
      ],
      ["signer not in the set", encodeEvidence(doubleVote(t, attacker, { round: 7 }))],
      ["same hash twice", encodeEvidence({ ...valid, b: valid.a })],
      ["wrong chain id", encodeEvidence(doubleVote(t, rep2, { round: 7, chainId: chain.genesis.chainId + 1n }))],
      ["oversized", new Uint8Array(MAX_EVIDENCE_BYTES + 1)],
      ["garbage", new Uint8Array(227).fill(1)],
    ];
    // Untimely evidence is IGNOREd (an honest peer a block away may disagree), not blamed, not kept.
    // (Expired evidence takes the same path: test/chain/evidencePool.test.ts.)
    const untimely: [string, Uint8Array][] = [
      ["far future", encodeEvidence(doubleVote(t, rep2, { height: t.state.height + 1_000_000_000 }))],
    ];
    const sender = peer(3, "evidence sender");
    await sender.authenticated;
    const sent = new Set<string>();
    for (const [, bytes] of [...untimely, ...forged]) {
      sent.add(Buffer.from(bytes).toString("hex"));
      sender.gossip(TOPIC, Buffer.from(bytes));
    }
    // 7 REJECTs cost 70 points; three more forged pieces cross the ban score (−100).
    for (let i = 0; i < 3; i++) sender.gossip(TOPIC, Buffer.from(new Uint8Array(230).fill(i + 2)));
    const closed = await sender.closed;
    expect(closed.code, `closed: ${closed.reason}`).to.equal(4005);

    const before = (await status(3)).height;
    await waitFor("finality to go on for 2 more blocks", 120_000, async () => (await status(3)).height >= before + 2);
    expect(seenBy(watchers, sent), "refused evidence that reached another node").to.deep.equal([]);
    for (const i of [0, 1, 2, 3]) {
      const report = await evidenceAt(i);
      expect(report.pending, `node ${i} pooled`).to.equal(0);
      expect(report.jailed, `node ${i} jailed`).to.deep.equal([]);
      expect(report.committed).to.deep.equal([]);
    }
    const { peers: links } = await status(3);
    for (const rep of chain.keys.slice(0, 3)) expect(links, "rep3's honest links").to.include(rep.address);
  });

  it("real evidence from an outside peer is forwarded, finalized and jails the key on every node", async () => {
    const watchers = [peer(0, "watcher 0b"), peer(1, "watcher 1b")];
    await Promise.all(watchers.map((w) => w.authenticated));
    const rep2 = chain.keys[2];
    const evidence: Evidence = doubleVote(await target(), rep2, { kind: "precommit", round: 3 });
    const bytes = Buffer.from(encodeEvidence(evidence));
    const sender = peer(3, "honest evidence sender");
    await sender.authenticated;
    sender.gossip(TOPIC, bytes);
    const hash = evidenceHash(evidence);
    await waitFor("every node to commit the evidence", 120_000, async () => {
      const reports = await Promise.all([0, 1, 2, 3].map(evidenceAt));
      return reports.every((r) => r.committed.some((c) => c.hash === hash));
    });
    expect(seenBy(watchers, new Set([bytes.toString("hex")])).length, "forwarded to other nodes").to.be.above(0);
    for (const i of [0, 1, 2, 3]) {
      const report = await evidenceAt(i);
      expect(report.jailed).to.deep.equal([{ candidate: rep2.address, registration: null }]);
      expect(report.committed.map((c) => [c.signer, c.kind])).to.deep.equal([[rep2.address, "precommit"]]);
    }
    // Sending it again changes nothing: the offence is committed.
    const again = peer(2, "late evidence sender");
    await again.authenticated;
    again.gossip(TOPIC, bytes);
    const h = (await status(2)).height;
    await waitFor("one more block", 60_000, async () => (await status(2)).height >= h + 1);
    expect((await evidenceAt(2)).pending).to.equal(0);
  });
});
