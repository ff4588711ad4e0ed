import WebSocket from "ws";
import { encodeWireMessage, fromBase64, toBase64, type Hello, type WireMessage } from "./frames";

export type PeerDirection = "inbound" | "outbound";

/** What the rest of the node may know of a peer. */
export interface PeerInfo {
  readonly nodeId: string;
  readonly direction: PeerDirection;
  /** The address it was dialed at (outbound only). */
  readonly url?: string;
}

interface PendingRequest {
  resolve(data: Uint8Array): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * One WebSocket connection to another node: its handshake state, its score, and the requests it owes
 * us an answer to. Sending never blocks: a peer whose socket buffer is over `maxBufferedBytes` is too
 * slow to keep up and the frame is dropped for it (gossip is redundant; requests time out).
 */
export class Peer {
  hello?: Hello;
  score = 0;
  inflightInbound = 0;
  private nextRequestId = 1;
  private readonly pending = new Map<number, PendingRequest>();

  constructor(
    readonly ws: WebSocket,
    readonly direction: PeerDirection,
    private readonly maxBufferedBytes: number,
    readonly url?: string,
  ) {}

  get ready(): boolean {
    return this.hello !== undefined && this.ws.readyState === WebSocket.OPEN;
  }

  get info(): PeerInfo {
    return { nodeId: this.hello?.nodeId ?? "?", direction: this.direction, url: this.url };
  }

  send(message: WireMessage): boolean {
    if (this.ws.readyState !== WebSocket.OPEN || this.ws.bufferedAmount > this.maxBufferedBytes) return false;
    this.ws.send(encodeWireMessage(message));
    return true;
  }

  request(method: string, data: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    const id = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => this.settle(id, new Error(`request ${method} timed out after ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.pending.set(id, { resolve, reject, timer });
      if (!this.send({ t: "req", id, method, data: toBase64(data) })) {
        this.settle(id, new Error(`peer ${this.info.nodeId} cannot take request ${method} now`));
      }
    });
  }

  /** Completes a pending request; returns false if none had that id (a stray response). */
  settle(id: number, outcome: Uint8Array | Error | { data?: string; error?: string }): boolean {
    const pending = this.pending.get(id);
    if (!pending) return false;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if (outcome instanceof Error) pending.reject(outcome);
    else if (outcome instanceof Uint8Array) pending.resolve(outcome);
    else if (outcome.error !== undefined) pending.reject(new Error(`peer ${this.info.nodeId}: ${outcome.error}`));
    else pending.resolve(fromBase64(outcome.data ?? ""));
    return true;
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
