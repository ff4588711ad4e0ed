import { expect } from "chai";
import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import pino from "pino";
import WebSocket from "ws";
import { fromHex, keccak256Hex, toHex } from "../../node/chain/bytes";
import { keyPairFromPrivateKey, type KeyPair } from "../../node/chain/signing";
import { defaultP2PConfig, type P2PConfig } from "../../node/p2p/p2pConfig";
import { CLOSE, P2PNetwork } from "../../node/p2p/p2pNetwork";
import type { PeerInfo } from "../../node/p2p/peer";
import { ValidationResult } from "../../node/p2p/validationResult";
import { MinimalPeer } from "./minimalPeer";

const CHAIN_ID = 77n;
const GENESIS = `0x${"11".repeat(32)}` as const;
const silent = pino({ level: "silent" });
const keyOf = (name: string): KeyPair =>
  keyPairFromPrivateKey(fromHex(keccak256Hex(new TextEncoder().encode(`attack test ${name}`)), 32));
const secret = (k: KeyPair) => toHex(k.privateKey);

describe("P2P handshake and transport under attack (an outside peer written from docs/p2p.md)", () => {
  const started: P2PNetwork[] = [];
  const outsiders: MinimalPeer[] = [];
  const servers: Server[] = [];

  async function startNode(name: string, overrides: Partial<P2PConfig> = {}) {
    const net = new P2PNetwork(
      { ...defaultP2PConfig, nodeKey: keyOf(name), chainId: CHAIN_ID, genesisHash: GENESIS, ...overrides },
      silent,
    );
    started.push(net);
    const port = await net.start();
    return { net, url: `ws://127.0.0.1:${port}`, port, id: keyOf(name).address as string };
  }

  function outsider(url: string, key: KeyPair, extra: { claim?: string; genesisHash?: string } = {}) {
    const peer = new MinimalPeer({
      url,
      chainId: CHAIN_ID,
      genesisHash: extra.genesisHash ?? GENESIS,
      privateKey: secret(key),
      claim: extra.claim,
    });
    outsiders.push(peer);
    return peer;
  }

  async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  const ids = (net: P2PNetwork) => net.connectedPeers().map((p) => p.nodeId);

  afterEach(async () => {
    for (const o of outsiders.splice(0)) o.close();
    await Promise.all(started.splice(0).map((n) => n.stop()));
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  it("an outside implementation authenticates both ways and exchanges encrypted gossip", async () => {
    const a = await startNode("a");
    const me = keyOf("outsider");
    const peer = outsider(a.url, me);
    expect(await peer.authenticated).to.equal(a.id);
    await until(() => ids(a.net).includes(me.address), "a to list the outsider under its proven address");
    const got: string[] = [];
    a.net.subscribe("tx", (data: Uint8Array, from: PeerInfo) => {
      got.push(`${Buffer.from(data).toString()} from ${from.nodeId}`);
      return ValidationResult.Accept;
    });
    peer.gossip("tx", Buffer.from("hi"));
    await until(() => got.length === 1, "delivery");
    expect(got).to.deep.equal([`hi from ${me.address}`]);
    a.net.publish("tx", new TextEncoder().encode("back"));
    await until(() => peer.received.length === 1, "a's gossip at the outsider");
    expect(peer.received[0].toString("latin1")).to.equal("\u0001\u0002txback");
  });

  it("an impostor claiming a representative's id fails to authenticate; the real one still connects", async () => {
    const a = await startNode("a");
    const representative = keyOf("representative");
    const impostor = outsider(a.url, keyOf("impostor"), { claim: representative.address });
    expect((await impostor.closed).code).to.equal(CLOSE.authenticationFailed);
    expect(ids(a.net)).to.deep.equal([]);
    const real = new P2PNetwork(
      {
        ...defaultP2PConfig,
        nodeKey: representative,
        chainId: CHAIN_ID,
        genesisHash: GENESIS,
        bootnodes: [a.url],
      },
      silent,
    );
    started.push(real);
    await real.start();
    await until(() => ids(a.net).includes(representative.address), "the real representative");
  });

  it("refuses a peer of another genesis before any key is proven", async () => {
    const a = await startNode("a");
    const stranger = outsider(a.url, keyOf("stranger"), { genesisHash: `0x${"22".repeat(32)}` });
    expect((await stranger.closed).code).to.equal(CLOSE.wrongChain);
  });

  it("connections that never authenticate neither fill the peer slots nor stay open", async () => {
    const a = await startNode("a", { maxPeers: 2, maxHandshakes: 8, handshakeTimeoutMs: 1000 });
    const silentOnes = Array.from({ length: 100 }, () => new WebSocket(a.url));
    const closedCount = { n: 0 };
    for (const ws of silentOnes) {
      ws.on("error", () => undefined);
      ws.on("close", () => closedCount.n++);
    }
    await until(() => silentOnes.every((ws) => ws.readyState !== WebSocket.CONNECTING), "the flood to connect");
    const b = await startNode("b", { bootnodes: [a.url] });
    await until(() => ids(a.net).includes(b.id), "an honest peer to get in during the flood");
    await until(() => closedCount.n === 100, "every silent connection to be evicted or timed out", 10_000);
    expect(ids(a.net)).to.deep.equal([b.id]);
  });

  it("a flood of handshakes from one address evicts itself, not a slow honest handshake from another", async () => {
    const a = await startNode("a", { maxHandshakes: 8, handshakeTimeoutMs: 10_000 });
    const flood: WebSocket[] = [];
    const open = () => {
      const ws = new WebSocket(a.url, { localAddress: "127.0.0.2" });
      ws.on("error", () => undefined);
      flood.push(ws);
    };
    for (let i = 0; i < 8; i++) open();
    await until(() => flood.every((ws) => ws.readyState === WebSocket.OPEN), "the flood to hold every handshake slot");
    const honestKey = keyOf("slow honest");
    const slow = new MinimalPeer({
      url: a.url,
      chainId: CHAIN_ID,
      genesisHash: GENESIS,
      privateKey: secret(honestKey),
      localAddress: "127.0.0.3",
      helloDelayMs: 300,
    });
    outsiders.push(slow);
    const churn = setInterval(open, 5); // ≈ 60 more while the honest hello is on its way
    try {
      const outcome = await Promise.race([slow.authenticated, slow.closed.then((c) => `evicted (${c.code})`)]);
      expect(outcome).to.equal(a.id);
    } finally {
      clearInterval(churn);
    }
    await until(() => ids(a.net).includes(honestKey.address), "the slow honest peer admitted");
    for (const ws of flood) ws.terminate();
  });

  it("gives a connection that has not authenticated no room for more than a handshake frame", async () => {
    const a = await startNode("a"); // frames of megabytes once authenticated
    const stranger = new WebSocket(a.url);
    const closed = new Promise<number>((resolve) => stranger.on("close", (code) => resolve(code)));
    stranger.on("open", () => stranger.send(Buffer.alloc(4096, 7), { binary: true }));
    expect(await closed).to.equal(1009);
    const big = outsider(a.url, keyOf("big once authenticated"));
    await big.authenticated;
    await until(() => ids(a.net).length === 1, "the outsider admitted");
    let got = 0;
    a.net.subscribe("tx", (data) => ((got = data.length), ValidationResult.Accept));
    big.gossip("tx", Buffer.alloc(100_000, 1));
    await until(() => got === 100_000, "a large frame after the handshake");
  });

  it("closes a connection on an oversized frame, and keeps serving others", async () => {
    const a = await startNode("a", { maxFrameBytes: 4096 });
    const big = outsider(a.url, keyOf("big"));
    await big.authenticated;
    big.sendSealed(Buffer.alloc(8192, 1));
    expect((await big.closed).code).to.equal(1009);
    const b = await startNode("b", { bootnodes: [a.url] });
    await until(() => ids(a.net).includes(b.id), "an honest peer");
  });

  it("closes a connection on garbage after the handshake, and bans a sender of malformed sealed messages", async () => {
    const a = await startNode("a");
    const garbage = outsider(a.url, keyOf("garbage"));
    await garbage.authenticated;
    garbage.sendFrame(Buffer.from("not a sealed frame at all"));
    expect((await garbage.closed).code).to.equal(CLOSE.protocol);
    const malformed = outsider(a.url, keyOf("malformed"));
    await malformed.authenticated;
    for (let i = 0; i < 4; i++) malformed.sendSealed(Buffer.from([0xff, i]));
    expect((await malformed.closed).code).to.equal(CLOSE.banned);
    const again = outsider(a.url, keyOf("malformed"));
    expect((await again.closed).code).to.equal(CLOSE.banned);
    const b = await startNode("b", { bootnodes: [a.url] });
    await until(() => ids(a.net).includes(b.id), "an honest peer");
  });

  it("a replayed handshake does not authenticate", async () => {
    const a = await startNode("a");
    const victim = keyOf("victim");
    const recorded = outsider(a.url, victim);
    await recorded.authenticated;
    await until(() => ids(a.net).includes(victim.address), "the recorded session");
    const frames = [...recorded.sentFrames];
    recorded.close();
    await until(() => ids(a.net).length === 0, "the recorded session to end");
    const replay = new WebSocket(a.url);
    const closed = new Promise<number>((resolve) => replay.on("close", (code) => resolve(code)));
    replay.on("open", () => {
      for (const frame of frames) replay.send(frame, { binary: true });
    });
    expect(await closed).to.equal(CLOSE.protocol);
    expect(ids(a.net)).to.deep.equal([]);
  });

  it("drops what a peer sends over its rate limit, unread and unforwarded", async () => {
    const a = await startNode("a", { rateLimitMessagesPerS: 100 });
    const c = await startNode("c", { bootnodes: [a.url] });
    let atA = 0;
    let atC = 0;
    a.net.subscribe("tx", () => (atA++, ValidationResult.Accept));
    c.net.subscribe("tx", () => (atC++, ValidationResult.Accept));
    await until(() => ids(a.net).includes(c.id) && ids(c.net).includes(a.id), "a and c connected");
    const flooder = outsider(a.url, keyOf("flooder"));
    await flooder.authenticated;
    const t0 = Date.now();
    for (let i = 0; i < 3000; i++) flooder.gossip("tx", Buffer.from(`flood ${i}`));
    await until(() => a.net.rateLimited + atA === 3000, "a to have read or dropped every message");
    const allowance = 200 + (100 * (Date.now() - t0)) / 1000; // the burst, then 100 a second
    expect(atA).to.be.at.most(Math.ceil(allowance));
    expect(a.net.rateLimited).to.be.at.least(3000 - Math.ceil(allowance));
    await until(() => atC === atA, "c to get only what a accepted");
    expect(ids(a.net)).to.include(c.id);
  });

  it("encrypts everything after the hellos: a gossiped payload is not visible on the wire", async () => {
    const a = await startNode("a");
    const captured: Buffer[] = [];
    const proxy = createServer((client: Socket) => {
      const upstream = connect(a.port, "127.0.0.1");
      client.on("data", (d: Buffer) => (captured.push(d), upstream.write(d)));
      upstream.on("data", (d: Buffer) => (captured.push(d), client.write(d)));
      client.on("error", () => upstream.destroy());
      upstream.on("error", () => client.destroy());
    });
    servers.push(proxy);
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    const proxyPort = (proxy.address() as AddressInfo).port;
    const b = await startNode("b", { bootnodes: [`ws://127.0.0.1:${proxyPort}`] });
    let delivered = false;
    a.net.subscribe("tx", () => ((delivered = true), ValidationResult.Accept));
    await until(() => ids(b.net).length === 1, "b connected through the proxy");
    b.net.publish("tx", new TextEncoder().encode("PLAINTEXT-MARKER-1234567890"));
    await until(() => delivered, "delivery through the proxy");
    const wire = Buffer.concat(captured);
    expect(wire.length).to.be.above(200);
    expect(wire.includes(Buffer.from("PLAINTEXT-MARKER"))).to.equal(false);
    expect(wire.includes(Buffer.from(a.id.slice(2), "hex"))).to.equal(false); // even the identities are sealed
  });
});
