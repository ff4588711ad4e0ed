import WebSocket from "ws";
import type { Address } from "../types/primitives";
import { createEphemeral, type Ephemeral } from "./handshake";
import { MAX_REQUEST_ID, encodeWireMessage, type WireMessage } from "./frames";
import type { P2PConfig } from "./p2pConfig";
import type { SecretChannel } from "./secretChannel";
import { TokenBucket } from "./tokenBucket";

export type PeerDirection = "inbound" | "outbound";

/** What the rest of the node may know of a peer. */
export interface PeerInfo {
  /** The node key's address the peer proved in the handshake. */
  readonly nodeId: string;
  readonly direction: PeerDirection;
  /** The address it was dialed at (outbound only). */
  readonly url?: string;
}

/** Timed-out request ids remembered per peer: more than a paused peer owes after a long pause at one status poll a second. */
const EXPIRED_IDS_KEPT = 4096;

interface PendingRequest {
  resolve(data: Uint8Array): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * One WebSocket connection to another node: its handshake state (hello sent → keys derived and
 * proof sent → authenticated), its encrypted channel, its score, and the requests it owes us an
 * answer to. Sending never blocks: a peer whose socket buffer is over `maxBufferedBytes` is too slow
 * to keep up and the frame is dropped for it (gossip is redundant; requests time out).
 */
export class Peer {
  readonly ephemeral: Ephemeral = createEphemeral();
  readonly openedAt = Date.now();
  channel?: SecretChannel;
  /** This connection's handshake challenge, once the hellos are exchanged. */
  challenge?: Uint8Array;
  /** Set once the peer proved its node key: until then it is nobody. */
  nodeId?: Address;
  score = 0;
  inflightInbound = 0;
  private nextRequestId = 1;
  private readonly pending = new Map<number, PendingRequest>();
  /**
   * Ids of our requests that timed out, newest last (at most EXPIRED_IDS_KEPT): an honest peer that
   * was slow, or paused and resumed, answers them late, and a late answer is not a stray one.
   */
  private readonly expired = new Set<number>();

  /** Its allowance of inbound messages and bytes (see P2PConfig.rateLimit*). */
  readonly messageBucket: TokenBucket;
  readonly byteBucket: TokenBucket;

  constructor(
    readonly ws: WebSocket,
    readonly direction: PeerDirection,
    private readonly limits: Pick<P2PConfig, "maxBufferedBytes" | "rateLimitMessagesPerS" | "rateLimitBytesPerS">,
    readonly url?: string,
    /** Where an inbound connection comes from (for fair eviction of handshakes). */
    readonly remoteAddress = "",
  ) {
    this.messageBucket = new TokenBucket(2 * limits.rateLimitMessagesPerS, limits.rateLimitMessagesPerS, this.openedAt);
    this.byteBucket = new TokenBucket(2 * limits.rateLimitBytesPerS, limits.rateLimitBytesPerS, this.openedAt);
  }

  /** Spends one message and `bytes` of its allowance; false: over the limit, drop it. */
  withinRate(bytes: number, nowMs = Date.now()): boolean {
    return this.messageBucket.take(1, nowMs) && this.byteBucket.take(bytes, nowMs);
  }

  get ready(): boolean {
    return this.nodeId !== undefined && this.ws.readyState === WebSocket.OPEN;
  }

  get info(): PeerInfo {
    return { nodeId: this.nodeId ?? "?", direction: this.direction, url: this.url };
  }

  /** Sends one frame as it is (the handshake's hello) or sealed (everything after). */
  sendRaw(frame: Uint8Array): boolean {
    if (this.ws.readyState !== WebSocket.OPEN || this.ws.bufferedAmount > this.limits.maxBufferedBytes) return false;
    this.ws.send(this.channel ? this.channel.seal(frame) : frame, { binary: true });
    return true;
  }

  send(message: WireMessage): boolean {
    return this.ready && this.sendRaw(encodeWireMessage(message));
  }

  request(method: string, data: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    const id = this.nextRequestId;
    this.nextRequestId = (this.nextRequestId % MAX_REQUEST_ID) + 1;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.settle(id, new Error(`request ${method} timed out after ${timeoutMs} ms`));
        this.rememberExpired(id);
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      if (!this.send({ t: "req", id, method, data })) {
        this.settle(id, new Error(`peer ${this.info.nodeId} cannot take request ${method} now`));
      }
    });
  }

  /** Completes a pending request; returns false if none had that id (a stray response). */
  settle(id: number, outcome: Uint8Array | Error): boolean {
    const pending = this.pending.get(id);
    if (!pending) return false;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if (outcome instanceof Error) pending.reject(outcome);
    else pending.resolve(outcome);
    return true;
  }

  /** True (once) if `id` is a request of ours that timed out: its answer came late, it is no fault. */
  answeredLate(id: number): boolean {
    return this.expired.delete(id);
  }

  private rememberExpired(id: number): void {
    this.expired.add(id);
    if (this.expired.size > EXPIRED_IDS_KEPT) this.expired.delete(this.expired.values().next().value!);
  }

  /** Fails every outstanding request (the connection is gone). */
  failAll(reason: string): void {
    for (const id of [...this.pending.keys()]) this.settle(id, new Error(reason));
  }

  close(code: number, reason: string): void {
    this.failAll(`connection closed: ${reason}`);
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)
      this.ws.close(code, reason);
  }
}
