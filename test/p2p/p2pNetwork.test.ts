import { expect } from "chai";
import pino from "pino";
import { fromHex, keccak256Hex, toHex } from "../../node/chain/bytes";
import { keyPairFromPrivateKey } from "../../node/chain/signing";
import { defaultP2PConfig, type P2PConfig } from "../../node/p2p/p2pConfig";
import { P2PNetwork } from "../../node/p2p/p2pNetwork";
import type { PeerInfo } from "../../node/p2p/peer";
import { ValidationResult } from "../../node/p2p/validationResult";
import type { Logger } from "../../node/log";
import { memoryLogger } from "../helpers/memoryLogger";
import { freePort } from "../../node/testing/processCluster";
import { MinimalPeer } from "./minimalPeer";

const GENESIS = `0x${"11".repeat(32)}` as const;
/** Each test node's key from its name; ids in assertions are mapped back to names. */
const keyOf = (name: string) =>
  keyPairFromPrivateKey(fromHex(keccak256Hex(new TextEncoder().encode(`p2p test ${name}`)), 32));
const names = new Map(["a", "b", "c", "zz"].map((n) => [keyOf(n).address as string, n]));
const nameOf = (id: string): string => names.get(id) ?? id;
const silent = pino({ level: "silent" });
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (data: Uint8Array): string => new TextDecoder().decode(data);

describe("P2PNetwork (real WebSockets on 127.0.0.1)", () => {
  const started: P2PNetwork[] = [];

  async function startNode(
    name: string,
    overrides: Partial<P2PConfig> = {},
    log: Logger = silent,
  ): Promise<{ net: P2PNetwork; url: string }> {
    const config: P2PConfig = {
      ...defaultP2PConfig,
      nodeKey: keyOf(name),
      chainId: 77n,
      genesisHash: GENESIS,
      ...overrides,
    };
    const net = new P2PNetwork(config, log);
    net.handle("ping", async () => new Uint8Array());
    started.push(net);
    const port = await net.start();
    return { net, url: `ws://127.0.0.1:${port}` };
  }

  async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /**
   * Resolves once `to` has handled every frame `from` sent it before this call reached `from`: a
   * request/response round trip, whose response travels the same ordered connection behind them.
   * This is how a test shows that something did NOT arrive, without sleeping.
   */
  async function flushed(from: { net: P2PNetwork }, to: { net: P2PNetwork }): Promise<void> {
    await to.net.request(from.net.nodeId, "ping", new Uint8Array());
  }
  const peerIds = (net: P2PNetwork): string[] =>
    net
      .connectedPeers()
      .map((p) => nameOf(p.nodeId))
      .sort();

  afterEach(async () => {
    await Promise.all(started.splice(0).map((n) => n.stop()));
  });

  it("connects two nodes after the authenticated handshake, each listing the other by its proven key", async () => {
    const a = await startNode("a");
    const b = await startNode("b", { bootnodes: [a.url] });
    await until(() => peerIds(a.net).length === 1 && peerIds(b.net).length === 1, "connection");
    expect(peerIds(a.net)).to.deep.equal(["b"]);
    expect(peerIds(b.net)).to.deep.equal(["a"]);
    expect(a.net.connectedPeers()[0].direction).to.equal("inbound");
    expect(b.net.connectedPeers()[0].direction).to.equal("outbound");
  });

  it("does not redial a bootnode that is connected already, nor warn about a duplicate dial", async () => {
    // Each node lists the other as a bootnode, as the README's multi-machine setup does.
    const portB = await freePort();
    const logA = memoryLogger();
    const fast = { redialDelayMinMs: 10, redialDelayMaxMs: 30 };
    const a = await startNode("a", { ...fast, bootnodes: [`ws://127.0.0.1:${portB}`] }, logA.logger);
    const b = await startNode("b", { ...fast, port: portB, bootnodes: [a.url] });
    await until(() => peerIds(a.net).length === 1 && peerIds(b.net).length === 1, "connection");
    // Before the fix each of these redials was a dial refused as "already connected" (WARN).
    const skipped = () => logA.lines.filter((l) => l.msg === "p2p redial skipped: connected").length;
    await until(() => skipped() >= 5, "five redials skipped while connected");
    const refusals = logA.lines.filter((l) => l.msg === "p2p peer refused");
    expect(refusals.filter((l) => (l.level as number) >= 40)).to.deep.equal([]);
    expect(refusals.length).to.be.at.most(2); // at most the start-up race, when both dial at once
    expect(peerIds(a.net)).to.deep.equal(["b"]);
  });

  it("floods gossip along a line once per node, never back to the sender", async () => {
    const a = await startNode("a");
    const b = await startNode("b", { bootnodes: [a.url] });
    const c = await startNode("c", { bootnodes: [b.url] });
    await until(
      () => peerIds(a.net).length === 1 && peerIds(b.net).length === 2 && peerIds(c.net).length === 1,
      "line a-b-c",
    );
    const got: Record<string, string[]> = { a: [], b: [], c: [] };
    for (const [id, node] of Object.entries({ a, b, c })) {
      node.net.subscribe("tx", (data, from: PeerInfo) => {
        got[id].push(`${text(data)} from ${nameOf(from.nodeId)}`);
        return ValidationResult.Accept;
      });
    }
    expect(a.net.publish("tx", bytes("hello"))).to.equal(1);
    await until(() => got.c.length === 1, "delivery to c");
    await flushed(c, b); // an echo of c's back to b
    await flushed(b, a); // an echo of b's back to a
    await flushed(b, c); // a second copy to c
    expect(got).to.deep.equal({ a: [], b: ["hello from a"], c: ["hello from b"] });
  });

  it("delivers a message relayed by two peers only once", async () => {
    const a = await startNode("a");
    const b = await startNode("b", { bootnodes: [a.url] });
    const c = await startNode("c", { bootnodes: [a.url, b.url] });
    await until(
      () => peerIds(a.net).length === 2 && peerIds(c.net).length === 2 && peerIds(b.net).length === 2,
      "triangle",
    );
    const atC: string[] = [];
    let atB = 0;
    b.net.subscribe("tx", () => (atB++, ValidationResult.Accept));
    c.net.subscribe("tx", (data) => {
      atC.push(text(data));
      return ValidationResult.Accept;
    });
    a.net.publish("tx", bytes("once"));
    await until(() => atC.length >= 1 && atB === 1, "delivery to b and c");
    await flushed(a, c); // the direct copy
    await flushed(b, c); // the copy relayed by b
    expect(atC).to.deep.equal(["once"]);
  });

  it("does not forward IGNOREd gossip and does not penalise its sender", async () => {
    const a = await startNode("a");
    const b = await startNode("b", { bootnodes: [a.url] });
    const c = await startNode("c", { bootnodes: [b.url] });
    await until(() => peerIds(a.net).length === 1 && peerIds(b.net).length === 2, "line");
    let atB = 0;
    let atC = 0;
    b.net.subscribe("tx", () => (atB++, ValidationResult.Ignore));
    c.net.subscribe("tx", () => (atC++, ValidationResult.Accept));
    for (let i = 0; i < 30; i++) a.net.publish("tx", bytes(`stale ${i}`));
    await until(() => atB === 30, "b saw all");
    await flushed(b, c);
    expect(atC).to.equal(0);
    expect(peerIds(b.net)).to.deep.equal(["a", "c"]);
  });

  it("reads an IGNOREd message again when it comes again, an ACCEPTed or REJECTed one only once", async () => {
    // A validator without quorum resends its same signed vote until it is counted: a copy IGNOREd
    // ("not now": this node's consensus had not started) must not make every later copy unread.
    const a = await startNode("a");
    const b = await startNode("b", { bootnodes: [a.url] });
    await until(() => peerIds(a.net).length === 1, "connection");
    const verdicts = [ValidationResult.Ignore, ValidationResult.Ignore, ValidationResult.Accept];
    const read: string[] = [];
    b.net.subscribe("vote", (data) => {
      read.push(text(data));
      return verdicts[read.length - 1] ?? ValidationResult.Accept;
    });
    let rejected = 0;
    b.net.subscribe("junk", () => (rejected++, ValidationResult.Reject));
    for (let i = 0; i < 5; i++) {
      a.net.publish("vote", bytes("the same vote"));
      a.net.publish("junk", bytes("the same junk"));
      await flushed(a, b);
    }
    // Read until accepted (twice ignored, then accepted), then dropped as seen; the rejected one once.
    expect(read).to.deep.equal(["the same vote", "the same vote", "the same vote"]);
    expect(rejected).to.equal(1);
  });

  it("reads an ACCEPTed message again once it is older than seenTtlMs (a transaction resubmitted after it expired)", async () => {
    const ttl = 300;
    const a = await startNode("a");
    const b = await startNode("b", { bootnodes: [a.url], seenTtlMs: ttl });
    await until(() => peerIds(a.net).length === 1, "connection");
    let read = 0;
    b.net.subscribe("tx", () => (read++, ValidationResult.Accept));
    a.net.publish("tx", bytes("the same transaction"));
    a.net.publish("tx", bytes("the same transaction"));
    await flushed(a, b);
    expect(read).to.equal(1);
    await new Promise((r) => setTimeout(r, ttl + 50));
    a.net.publish("tx", bytes("the same transaction"));
    await flushed(a, b);
    expect(read).to.equal(2);
  });

  it("disconnects and bans a peer whose gossip is REJECTed too often", async () => {
    const logA = memoryLogger();
    const a = await startNode("a", { redialDelayMinMs: 50, redialDelayMaxMs: 100 }, logA.logger);
    const b = await startNode("b", { bootnodes: [a.url], redialDelayMinMs: 50, redialDelayMaxMs: 100 });
    await until(() => peerIds(a.net).length === 1 && peerIds(b.net).length === 1, "connection");
    let rejected = 0;
    a.net.subscribe("tx", () => (rejected++, ValidationResult.Reject));
    for (let i = 0; i < 9; i++) b.net.publish("tx", bytes(`bad ${i}`));
    await until(() => rejected === 9, "nine rejections");
    expect(peerIds(a.net)).to.deep.equal(["b"]); // -90: still above the ban score
    b.net.publish("tx", bytes("bad 9"));
    await until(() => peerIds(a.net).length === 0, "ban");
    // b keeps redialing: wait until a has refused it as banned, then nobody is connected.
    await until(() => logA.lines.some((l) => l.msg === "p2p peer refused" && l.reason === "banned"), "a refusal");
    expect(peerIds(a.net)).to.deep.equal([]);
    expect(peerIds(b.net)).to.deep.equal([]);
  });

  it("answers requests, reports errors and unknown methods, and times out", async () => {
    const a = await startNode("a");
    const b = await startNode("b", { bootnodes: [a.url], requestTimeoutMs: 300 });
    await until(() => peerIds(a.net).length === 1 && peerIds(b.net).length === 1, "connection");
    a.net.handle("echo", async (data, from) => bytes(`${text(data)} to ${nameOf(from.nodeId)}`));
    a.net.handle("fail", async () => {
      throw new Error("no such block");
    });
    a.net.handle("hang", () => new Promise(() => undefined));
    expect(text(await b.net.request(keyOf("a").address, "echo", bytes("hi")))).to.equal("hi to b");
    await expectRejection(b.net.request(keyOf("a").address, "fail", bytes("")), "no such block");
    await expectRejection(b.net.request(keyOf("a").address, "nope", bytes("")), "unknown method nope");
    await expectRejection(b.net.request(keyOf("a").address, "hang", bytes("")), "timed out");
    await expectRejection(b.net.request(keyOf("zz").address, "echo", bytes("")), "not connected to 0x");
  });

  it("drops answers that come after their request timed out without penalising the peer (a paused, resumed node)", async () => {
    const logB = memoryLogger();
    const a = await startNode("a");
    const b = await startNode("b", { bootnodes: [a.url], requestTimeoutMs: 100 }, logB.logger);
    await until(() => peerIds(a.net).length === 1 && peerIds(b.net).length === 1, "connection");
    // a holds every "slow" request until the test lets go: as SIGSTOP holds a whole process.
    const held: (() => void)[] = [];
    a.net.handle("slow", () => new Promise((resolve) => held.push(() => resolve(bytes("late")))));
    // More late answers than the ban needs (2 × 15 × 5 points > 100) had they counted as stray; 15
    // at a time, under a's 16 requests in flight per peer.
    for (let round = 0; round < 2; round++) {
      const requests = Array.from({ length: 15 }, () => b.net.request(keyOf("a").address, "slow", bytes("")));
      const outcomes = await Promise.allSettled(requests);
      expect(outcomes.map((o) => o.status === "rejected" && String(o.reason).includes("timed out"))).to.not.include(
        false,
      );
      for (const release of held.splice(0)) release();
      await flushed(a, b);
    }
    expect(logB.lines.filter((l) => l.msg === "p2p peer penalised")).to.deep.equal([]);
    expect(peerIds(b.net)).to.deep.equal(["a"]);
  });

  it("penalises a response to a request it never sent", async () => {
    const logA = memoryLogger();
    const a = await startNode("a", {}, logA.logger);
    const outsider = new MinimalPeer({
      url: a.url,
      chainId: 77n,
      genesisHash: GENESIS,
      privateKey: toHex(keyOf("zz").privateKey),
    });
    try {
      await outsider.authenticated;
      outsider.sendSealed(Buffer.from([0x03, 0, 0, 0x30, 0x39])); // response 0x03 to id 12345, never asked
      await until(() => logA.lines.some((l) => l.msg === "p2p peer penalised"), "the penalty");
      expect(logA.lines.find((l) => l.msg === "p2p peer penalised")?.reason).to.equal("response to no request");
    } finally {
      outsider.close();
    }
  });

  it("redials a bootnode that went away and came back on the same port", async () => {
    const a = await startNode("a");
    const port = Number(new URL(a.url).port);
    const b = await startNode("b", { bootnodes: [a.url], redialDelayMinMs: 50, redialDelayMaxMs: 200 });
    await until(() => peerIds(b.net).length === 1, "first connection");
    await a.net.stop();
    await until(() => peerIds(b.net).length === 0, "disconnect");
    await startNode("a", { port });
    await until(() => peerIds(b.net).length === 1, "reconnection");
    expect(peerIds(b.net)).to.deep.equal(["a"]);
  });
});

async function expectRejection(promise: Promise<unknown>, message: string): Promise<void> {
  try {
    await promise;
  } catch (err) {
    expect((err as Error).message).to.include(message);
    return;
  }
  expect.fail(`expected a rejection with "${message}"`);
}
