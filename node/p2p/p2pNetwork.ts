import { EventEmitter } from "node:events";
import type { AddressInfo } from "node:net";
import WebSocket, { WebSocketServer } from "ws";
import type { Logger } from "../log";
import { decodeWireMessage } from "./frames";
import { setFrameLimit } from "./frameLimit";
import {
  AUTH_BYTES,
  HELLO_BYTES,
  HandshakeError,
  deriveSession,
  encodeAuth,
  encodeHello,
  parseHello,
  verifyAuth,
} from "./handshake";
import { PENALTY, type P2PConfig } from "./p2pConfig";
import { Peer, type PeerDirection, type PeerInfo } from "./peer";
import { SecretChannel, TAG_BYTES } from "./secretChannel";
import { gossipId, SeenCache } from "./seenCache";
import { ValidationResult } from "./validationResult";

/** Validates and consumes one gossip message of a topic; ACCEPT forwards it to the other peers. */
export type TopicHandler = (data: Uint8Array, from: PeerInfo) => ValidationResult | Promise<ValidationResult>;
/** Answers one request; a throw becomes an error response. */
export type RequestHandler = (data: Uint8Array, from: PeerInfo) => Promise<Uint8Array>;

/** The largest frame before a peer has authenticated: its hello, or its sealed proof. */
const HANDSHAKE_FRAME_BYTES = Math.max(HELLO_BYTES, AUTH_BYTES + TAG_BYTES);

/** Close codes of the protocol (4000–4999 are the application's range). */
export const CLOSE = {
  wrongChain: 4001,
  self: 4002,
  tooManyPeers: 4003,
  duplicate: 4004,
  banned: 4005,
  protocol: 4006,
  authenticationFailed: 4007,
  handshakeTimeout: 4008,
} as const;

/**
 * The node's P2P endpoint: a WebSocket server plus dialers to the bootnodes, an authenticated and
 * encrypted session per connection (handshake.ts, secretChannel.ts), flood gossip with
 * de-duplication, and request/response. A connection is nobody until it has proved its node key;
 * handshakes are bounded in number and time and do not take peer slots. Every frame is size-limited
 * by the socket and decrypted before anything parses it; only REJECT and malformed frames cost a
 * peer score, and scores and bans belong to the proven identity.
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
  /** The node each dialed URL answered as, so a URL whose node is connected is not dialed again. */
  private readonly nodeIdByUrl = new Map<string, string>();
  private stopped = false;
  /** Messages dropped because their sender was over its rate limit. */
  rateLimited = 0;

  constructor(
    private readonly config: P2PConfig,
    private readonly log: Logger,
  ) {
    super();
    this.seen = new SeenCache(config.seenCacheSize, config.seenTtlMs);
  }

  get nodeId(): string {
    return this.config.nodeKey.address;
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
    server.on("connection", (ws, request) => this.accept(ws, request.socket.remoteAddress ?? "?"));
    const port = (server.address() as AddressInfo).port;
    this.log.info({ host: this.config.host, port, nodeId: this.nodeId }, "p2p listening");
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
    this.seen.add(gossipId(topic, data), performance.now());
    return this.forward(topic, data);
  }

  /** Asks one connected peer; rejects on timeout, error response or disconnect. */
  request(nodeId: string, method: string, data: Uint8Array): Promise<Uint8Array> {
    const peer = this.readyPeers().find((p) => p.nodeId === nodeId);
    if (!peer) return Promise.reject(new Error(`not connected to ${nodeId}`));
    return peer.request(method, data, this.config.requestTimeoutMs);
  }

  /** Lowers a connected peer's score for a fault found above the P2P layer (e.g. a sync peer that did not serve). */
  penalisePeer(nodeId: string, delta: number, reason: string): void {
    const peer = this.readyPeers().find((p) => p.nodeId === nodeId);
    if (peer !== undefined) this.penalise(peer, delta, reason);
  }

  connectedPeers(): PeerInfo[] {
    return this.readyPeers().map((p) => p.info);
  }

  private readyPeers(): Peer[] {
    return [...this.peers].filter((p) => p.ready);
  }

  private forward(topic: string, data: Uint8Array, except?: Peer): number {
    let sent = 0;
    for (const peer of this.readyPeers()) if (peer !== except && peer.send({ t: "gossip", topic, data })) sent++;
    return sent;
  }

  private accept(ws: WebSocket, remoteAddress: string): void {
    if (this.stopped) return ws.terminate();
    const handshaking = [...this.peers].filter((p) => p.direction === "inbound" && p.nodeId === undefined);
    if (handshaking.length >= this.config.maxHandshakes) evictionCandidate(handshaking, remoteAddress).ws.terminate();
    this.attach(new Peer(ws, "inbound", this.config, undefined, remoteAddress));
  }

  private dial(url: string, delayMs: number): void {
    if (this.stopped) return;
    if (this.connectedTo(url)) {
      // Connected already (it dialed us, as every node dials every bootnode): a second connection
      // would only be refused as a duplicate. Look again later, without touching the network.
      this.log.debug({ url }, "p2p redial skipped: connected");
      return this.scheduleDial(url, this.config.redialDelayMaxMs);
    }
    const ws = new WebSocket(url, {
      maxPayload: this.config.maxFrameBytes,
      handshakeTimeout: this.config.handshakeTimeoutMs,
    });
    const peer = new Peer(ws, "outbound", this.config, url);
    ws.on("error", (err) => this.log.debug({ url, err: err.message }, "p2p dial failed"));
    ws.on("close", () => {
      const next = peer.nodeId ? this.config.redialDelayMinMs : Math.min(delayMs * 2, this.config.redialDelayMaxMs);
      this.scheduleDial(url, next);
    });
    this.attach(peer);
  }

  private connectedTo(url: string): boolean {
    const nodeId = this.nodeIdByUrl.get(url);
    return nodeId !== undefined && this.readyPeers().some((p) => p.nodeId === nodeId);
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
    const handshakeTimer = setTimeout(() => {
      if (peer.nodeId === undefined) peer.close(CLOSE.handshakeTimeout, "handshake timed out");
    }, this.config.handshakeTimeoutMs);
    const sendHello = (): void => {
      setFrameLimit(peer.ws, HANDSHAKE_FRAME_BYTES); // a stranger gets no room for more than a handshake
      peer.sendRaw(encodeHello(this.config.genesisHash, peer.ephemeral));
    };
    if (peer.ws.readyState === WebSocket.OPEN) sendHello();
    else peer.ws.once("open", sendHello);
    peer.ws.on("message", (raw: Buffer, isBinary) => this.onFrame(peer, raw, isBinary));
    peer.ws.on("error", () => undefined); // the close event follows and does the cleanup
    peer.ws.on("close", () => {
      clearTimeout(handshakeTimer);
      this.detach(peer);
    });
  }

  private detach(peer: Peer): void {
    if (!this.peers.delete(peer)) return;
    peer.failAll("peer disconnected");
    if (peer.nodeId !== undefined) {
      this.log.info({ peer: peer.nodeId, direction: peer.direction }, "p2p peer disconnected");
      this.emit("peer:disconnect", peer.info);
    }
  }

  /** Frames are opened here, in arrival order, before anything asynchronous happens. */
  private onFrame(peer: Peer, raw: Buffer, isBinary: boolean): void {
    if (!isBinary) return peer.close(CLOSE.protocol, "text frame");
    if (peer.channel === undefined) return this.onHello(peer, raw);
    const plaintext = peer.channel.open(raw);
    if (plaintext === null) return peer.close(CLOSE.protocol, "frame failed to decrypt");
    if (peer.nodeId === undefined) return this.onAuth(peer, plaintext);
    const message = decodeWireMessage(plaintext);
    if (!message) return this.penalise(peer, PENALTY.malformedFrame, "malformed message");
    if ((message.t === "gossip" || message.t === "req") && !peer.withinRate(plaintext.length)) {
      this.rateLimited++;
      return this.log.debug({ peer: peer.nodeId, message: message.t }, "p2p peer over its rate limit: dropped");
    }
    if (message.t === "gossip") return void this.onGossip(peer, message.topic, message.data);
    if (message.t === "req") return void this.onRequest(peer, message.id, message.method, message.data);
    const outcome = message.t === "res" ? message.data : new Error(`peer ${peer.info.nodeId}: ${message.error}`);
    if (peer.settle(message.id, outcome)) return;
    // An answer to a request of ours that timed out is late, not stray: a loaded or paused honest
    // peer answers so, and penalising it got every node to ban a representative resumed after SIGSTOP.
    if (peer.answeredLate(message.id))
      return this.log.debug({ peer: peer.nodeId, id: message.id }, "p2p late response dropped");
    this.penalise(peer, PENALTY.strayResponse, "response to no request");
  }

  /** Handshake step 1–2: their ephemeral key → the session keys → our proof, sealed. */
  private onHello(peer: Peer, frame: Uint8Array): void {
    try {
      const theirs = parseHello(frame, this.config.genesisHash);
      const keys = deriveSession(this.config.chainId, this.config.genesisHash, peer.ephemeral, theirs);
      peer.channel = new SecretChannel(keys.sendKey, keys.receiveKey);
      peer.challenge = keys.challenge;
      peer.sendRaw(encodeAuth(this.config.chainId, keys.challenge, this.config.nodeKey));
    } catch (err) {
      this.refuseHandshake(peer, err);
    }
  }

  /** Handshake step 3: their proof → their identity, then the admission rules. */
  private onAuth(peer: Peer, frame: Uint8Array): void {
    let nodeId;
    try {
      nodeId = verifyAuth(this.config.chainId, peer.challenge!, frame);
    } catch (err) {
      return this.refuseHandshake(peer, err);
    }
    if (peer.url !== undefined) this.nodeIdByUrl.set(peer.url, nodeId);
    const refusal = this.refusalOf(peer, nodeId);
    if (refusal) {
      // Two nodes dialing each other at once is normal, not a warning.
      const level = refusal.code === CLOSE.duplicate ? "debug" : "warn";
      this.log[level]({ peer: nodeId, reason: refusal.reason }, "p2p peer refused");
      return peer.close(refusal.code, refusal.reason);
    }
    peer.nodeId = nodeId;
    setFrameLimit(peer.ws, this.config.maxFrameBytes);
    this.log.info({ peer: nodeId, direction: peer.direction }, "p2p peer connected");
    this.emit("peer:connect", peer.info);
  }

  private refuseHandshake(peer: Peer, err: unknown): void {
    if (!(err instanceof HandshakeError)) throw err;
    this.log.warn({ url: peer.url, direction: peer.direction, reason: err.message }, "p2p handshake refused");
    const code =
      err.reason === "wrong chain"
        ? CLOSE.wrongChain
        : err.reason === "authentication failed"
          ? CLOSE.authenticationFailed
          : CLOSE.protocol;
    peer.close(code, err.message.slice(0, 120));
  }

  private refusalOf(peer: Peer, nodeId: string): { code: number; reason: string } | undefined {
    if (nodeId === this.nodeId) return { code: CLOSE.self, reason: "connected to self" };
    if ((this.bannedUntil.get(nodeId) ?? 0) > Date.now()) return { code: CLOSE.banned, reason: "banned" };
    if (this.readyPeers().some((p) => p.nodeId === nodeId))
      return { code: CLOSE.duplicate, reason: "already connected" };
    // Persistent peers (our own dials) are always admitted: they are few and chosen by the operator.
    if (peer.direction === "inbound" && this.readyPeers().length >= this.config.maxPeers)
      return { code: CLOSE.tooManyPeers, reason: "too many peers" };
    return undefined;
  }

  /**
   * A message is read once however many peers relay it (SeenCache, which also says why an IGNOREd
   * one is read again when it comes again). An ignored copy is never forwarded, so nothing loops; a
   * peer resending one costs what any new message costs, within its rate limit.
   */
  private async onGossip(peer: Peer, topic: string, data: Uint8Array): Promise<void> {
    const id = gossipId(topic, data);
    if (!this.seen.add(id, performance.now())) return;
    const handler = this.topics.get(topic);
    if (!handler) return;
    let result: ValidationResult;
    try {
      result = await handler(data, peer.info);
    } catch (err) {
      // A failing handler is our bug, not the peer's fault: drop the message, keep the peer.
      this.log.error({ topic, err: (err as Error).message }, "p2p topic handler failed");
      return;
    }
    if (result === ValidationResult.Accept) this.forward(topic, data, peer);
    else if (result === ValidationResult.Reject) this.penalise(peer, PENALTY.rejectedGossip, `rejected ${topic}`);
    this.seen.handled(id, result);
  }

  private async onRequest(peer: Peer, id: number, method: string, data: Uint8Array): Promise<void> {
    const handler = this.methods.get(method);
    if (!handler) return void peer.send({ t: "err", id, error: `unknown method ${method}` });
    if (peer.inflightInbound >= this.config.maxInflightRequestsPerPeer)
      return void peer.send({ t: "err", id, error: "busy" });
    peer.inflightInbound++;
    try {
      peer.send({ t: "res", id, data: await handler(data, peer.info) });
    } catch (err) {
      peer.send({ t: "err", id, error: (err as Error).message });
    } finally {
      peer.inflightInbound--;
    }
  }

  private penalise(peer: Peer, delta: number, reason: string): void {
    peer.score += delta;
    this.log.warn({ peer: peer.info.nodeId, score: peer.score, reason }, "p2p peer penalised");
    if (peer.score > this.config.banScore) return;
    if (peer.nodeId !== undefined) this.bannedUntil.set(peer.nodeId, Date.now() + this.config.banMs);
    peer.close(CLOSE.banned, `score ${peer.score}: ${reason}`);
  }
}

/**
 * Which handshake makes room for a new connection: the oldest of the remote address holding the
 * most (the newcomer's own included), so a flood of silent connections from one address evicts
 * itself rather than a slow honest handshake from elsewhere.
 */
function evictionCandidate(handshaking: readonly Peer[], newcomer: string): Peer {
  const counts = new Map<string, number>([[newcomer, 1]]);
  for (const p of handshaking) counts.set(p.remoteAddress, (counts.get(p.remoteAddress) ?? 0) + 1);
  const heaviest = [...counts.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  const candidates = handshaking.filter((p) => p.remoteAddress === heaviest);
  return (candidates.length > 0 ? candidates : handshaking).reduce((a, b) => (a.openedAt <= b.openedAt ? a : b));
}

export type { PeerDirection };
