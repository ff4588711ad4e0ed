import { EventEmitter } from "node:events";
import type { AddressInfo } from "node:net";
import { keccak256 } from "js-sha3";
import WebSocket, { WebSocketServer } from "ws";
import type { Logger } from "../log";
import { PENALTY, type P2PConfig } from "./p2pConfig";
import { Peer, type PeerDirection, type PeerInfo } from "./peer";
import { SeenCache } from "./seenCache";
import { ValidationResult } from "./validationResult";
import { PROTOCOL_VERSION, decodeWireMessage, fromBase64, toBase64, type Hello, type WireMessage } from "./frames";

/** Validates and consumes one gossip message of a topic; ACCEPT forwards it to the other peers. */
export type TopicHandler = (data: Uint8Array, from: PeerInfo) => ValidationResult | Promise<ValidationResult>;
/** Answers one request; a throw becomes an error response. */
export type RequestHandler = (data: Uint8Array, from: PeerInfo) => Promise<Uint8Array>;

/** Close codes of the protocol (4000–4999 are the application's range). */
export const CLOSE = {
  wrongChain: 4001,
  self: 4002,
  tooManyPeers: 4003,
  duplicate: 4004,
  banned: 4005,
  protocol: 4006,
} as const;

/**
 * The node's P2P endpoint: a WebSocket server plus dialers to the bootnodes, flood gossip with
 * de-duplication, and request/response. Every frame is schema-checked and size-limited before any
 * handler sees it; only REJECT and malformed frames cost a peer score.
 *
 * Events: "peer:connect" (PeerInfo), "peer:disconnect" (PeerInfo).
 */
export class P2PNetwork extends EventEmitter {
  private server?: WebSocketServer;
  private readonly peers = new Set<Peer>();
  private readonly topics = new Map<string, TopicHandler>();
  private readonly methods = new Map<string, RequestHandler>();
  private readonly seen: SeenCache;
  private readonly bannedUntil = new Map<string, number>();
  private readonly redialTimers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly config: P2PConfig,
    private readonly log: Logger,
  ) {
    super();
    this.seen = new SeenCache(config.seenCacheSize);
  }

  /** Listens and starts dialing the bootnodes; resolves with the port actually bound. */
  async start(): Promise<number> {
    const server = new WebSocketServer({
      host: this.config.host,
      port: this.config.port,
      maxPayload: this.config.maxFrameBytes,
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });
    server.on("connection", (ws) => this.accept(ws));
    const port = (server.address() as AddressInfo).port;
    this.log.info({ host: this.config.host, port }, "p2p listening");
    for (const url of this.config.bootnodes) this.dial(url, this.config.redialDelayMinMs);
    return port;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.redialTimers) clearTimeout(timer);
    this.redialTimers.clear();
    for (const peer of this.peers) peer.close(1001, "node stopping");
    for (const peer of this.peers) peer.ws.terminate();
    this.peers.clear();
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  subscribe(topic: string, handler: TopicHandler): void {
    this.topics.set(topic, handler);
  }

  handle(method: string, handler: RequestHandler): void {
    this.methods.set(method, handler);
  }

  /** Sends a message of ours to every peer; returns how many took it. */
  publish(topic: string, data: Uint8Array): number {
    const encoded = toBase64(data);
    this.seen.add(gossipId(topic, encoded));
    return this.forward({ t: "gossip", topic, data: encoded });
  }

  /** Asks one connected peer; rejects on timeout, error response or disconnect. */
  request(nodeId: string, method: string, data: Uint8Array): Promise<Uint8Array> {
    const peer = this.readyPeers().find((p) => p.hello?.nodeId === nodeId);
    if (!peer) return Promise.reject(new Error(`not connected to ${nodeId}`));
    return peer.request(method, data, this.config.requestTimeoutMs);
  }

  /** Lowers a connected peer's score for a fault found above the P2P layer (e.g. a sync peer that did not serve). */
  penalisePeer(nodeId: string, delta: number, reason: string): void {
    const peer = this.readyPeers().find((p) => p.hello?.nodeId === nodeId);
    if (peer !== undefined) this.penalise(peer, delta, reason);
  }

  connectedPeers(): PeerInfo[] {
    return this.readyPeers().map((p) => p.info);
  }

  private readyPeers(): Peer[] {
    return [...this.peers].filter((p) => p.ready);
  }

  private forward(message: WireMessage, except?: Peer): number {
    let sent = 0;
    for (const peer of this.readyPeers()) if (peer !== except && peer.send(message)) sent++;
    return sent;
  }

  private accept(ws: WebSocket): void {
    if (this.stopped) return ws.terminate();
    if (this.peers.size >= this.config.maxPeers) return ws.close(CLOSE.tooManyPeers, "too many peers");
    this.attach(new Peer(ws, "inbound", this.config.maxBufferedBytes));
  }

  private dial(url: string, delayMs: number): void {
    if (this.stopped) return;
    const ws = new WebSocket(url, {
      maxPayload: this.config.maxFrameBytes,
      handshakeTimeout: this.config.helloTimeoutMs,
    });
    const peer = new Peer(ws, "outbound", this.config.maxBufferedBytes, url);
    ws.on("error", (err) => this.log.debug({ url, err: err.message }, "p2p dial failed"));
    ws.on("close", () => {
      const next = peer.hello ? this.config.redialDelayMinMs : Math.min(delayMs * 2, this.config.redialDelayMaxMs);
      this.scheduleDial(url, next);
    });
    this.attach(peer);
  }

  private scheduleDial(url: string, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.redialTimers.delete(timer);
      this.dial(url, delayMs);
    }, delayMs);
    this.redialTimers.add(timer);
  }

  private attach(peer: Peer): void {
    this.peers.add(peer);
    const helloTimer = setTimeout(() => {
      if (!peer.hello) peer.close(CLOSE.protocol, "no hello");
    }, this.config.helloTimeoutMs);
    const sendHello = (): void => void peer.send(this.ownHello());
    if (peer.ws.readyState === WebSocket.OPEN) sendHello();
    else peer.ws.once("open", sendHello);
    peer.ws.on("message", (raw, isBinary) => void this.onFrame(peer, raw, isBinary));
    peer.ws.on("error", () => undefined); // the close event follows and does the cleanup
    peer.ws.on("close", () => {
      clearTimeout(helloTimer);
      this.detach(peer);
    });
  }

  private detach(peer: Peer): void {
    if (!this.peers.delete(peer)) return;
    peer.failAll("peer disconnected");
    if (peer.hello) {
      this.log.info({ peer: peer.info.nodeId, direction: peer.direction }, "p2p peer disconnected");
      this.emit("peer:disconnect", peer.info);
    }
  }

  private ownHello(): Hello {
    const { chainId, genesisHash, nodeId } = this.config;
    return { t: "hello", v: PROTOCOL_VERSION, chainId, genesisHash, nodeId };
  }

  private async onFrame(peer: Peer, raw: WebSocket.RawData, isBinary: boolean): Promise<void> {
    const message = isBinary ? undefined : decodeWireMessage(raw.toString());
    if (!message) return this.penalise(peer, PENALTY.malformedFrame, "malformed frame");
    if (message.t === "hello") return this.onHello(peer, message);
    if (!peer.hello) return this.penalise(peer, PENALTY.protocolViolation, `${message.t} before hello`);
    if (message.t === "gossip") return this.onGossip(peer, message.topic, message.data);
    if (message.t === "req") return this.onRequest(peer, message.id, message.method, message.data);
    if (!peer.settle(message.id, message)) this.penalise(peer, PENALTY.strayResponse, "response to no request");
  }

  private onHello(peer: Peer, hello: Hello): void {
    const refusal = this.refusalOf(peer, hello);
    if (refusal) {
      this.log.warn({ peer: hello.nodeId, reason: refusal.reason }, "p2p peer refused");
      return peer.close(refusal.code, refusal.reason);
    }
    peer.hello = hello;
    this.log.info({ peer: hello.nodeId, direction: peer.direction }, "p2p peer connected");
    this.emit("peer:connect", peer.info);
  }

  private refusalOf(peer: Peer, hello: Hello): { code: number; reason: string } | undefined {
    if (peer.hello) return { code: CLOSE.protocol, reason: "second hello" };
    if (hello.chainId !== this.config.chainId || hello.genesisHash !== this.config.genesisHash) {
      return { code: CLOSE.wrongChain, reason: `wrong chain ${hello.chainId}/${hello.genesisHash}` };
    }
    if (hello.nodeId === this.config.nodeId) return { code: CLOSE.self, reason: "connected to self" };
    if ((this.bannedUntil.get(hello.nodeId) ?? 0) > Date.now()) return { code: CLOSE.banned, reason: "banned" };
    if (this.readyPeers().some((p) => p.hello?.nodeId === hello.nodeId))
      return { code: CLOSE.duplicate, reason: "already connected" };
    return undefined;
  }

  private async onGossip(peer: Peer, topic: string, encoded: string): Promise<void> {
    if (!this.seen.add(gossipId(topic, encoded))) return;
    const handler = this.topics.get(topic);
    if (!handler) return;
    let result: ValidationResult;
    try {
      result = await handler(fromBase64(encoded), peer.info);
    } catch (err) {
      // A failing handler is our bug, not the peer's fault: drop the message, keep the peer.
      this.log.error({ topic, err: (err as Error).message }, "p2p topic handler failed");
      return;
    }
    if (result === ValidationResult.Accept) this.forward({ t: "gossip", topic, data: encoded }, peer);
    else if (result === ValidationResult.Reject) this.penalise(peer, PENALTY.rejectedGossip, `rejected ${topic}`);
  }

  private async onRequest(peer: Peer, id: number, method: string, encoded: string): Promise<void> {
    const handler = this.methods.get(method);
    if (!handler) return void peer.send({ t: "res", id, error: `unknown method ${method}` });
    if (peer.inflightInbound >= this.config.maxInflightRequestsPerPeer)
      return void peer.send({ t: "res", id, error: "busy" });
    peer.inflightInbound++;
    try {
      const data = await handler(fromBase64(encoded), peer.info);
      peer.send({ t: "res", id, data: toBase64(data) });
    } catch (err) {
      peer.send({ t: "res", id, error: (err as Error).message.slice(0, 1024) });
    } finally {
      peer.inflightInbound--;
    }
  }

  private penalise(peer: Peer, delta: number, reason: string): void {
    peer.score += delta;
    this.log.warn({ peer: peer.info.nodeId, score: peer.score, reason }, "p2p peer penalised");
    if (peer.score > this.config.banScore) return;
    if (peer.hello) this.bannedUntil.set(peer.hello.nodeId, Date.now() + this.config.banMs);
    peer.close(CLOSE.banned, `score ${peer.score}: ${reason}`);
  }
}

function gossipId(topic: string, encodedData: string): string {
  return keccak256(`${topic}\u0000${encodedData}`);
}

export type { PeerDirection };
