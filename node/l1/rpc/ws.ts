import WebSocket from "ws";
import { L1Error, L1ErrorCode } from "../errors";
import { batchResults, parseJson, resultOf } from "./responses";
import type { RpcRequest, RpcTransport } from "./transport";

interface Pending {
  readonly method: string;
  readonly ids: number[] | undefined; // a batch, or undefined for a single call
  resolve(value: unknown): void;
  reject(err: unknown): void;
  timer: NodeJS.Timeout;
}

/**
 * JSON-RPC over one WebSocket, connected on first use and again after it drops. A drop fails
 * every call in flight with RPC_UNREACHABLE (the follower retries them); nothing is replayed
 * behind the caller's back.
 */
export class WsTransport implements RpcTransport {
  private socket: WebSocket | undefined;
  private opening: Promise<WebSocket> | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
  ) {}

  async call<T>(method: string, params: readonly unknown[]): Promise<T> {
    const id = this.nextId++;
    return (await this.send(method, undefined, id, { jsonrpc: "2.0", id, method, params })) as T;
  }

  async batch<T>(requests: readonly RpcRequest[]): Promise<T[]> {
    if (requests.length === 0) return [];
    const ids = requests.map(() => this.nextId++);
    const label = `batch(${requests[0].method}×${requests.length})`;
    const payload = requests.map((r, i) => ({ jsonrpc: "2.0", id: ids[i], method: r.method, params: r.params }));
    return (await this.send(label, ids, ids[0], payload)) as T[];
  }

  async close(): Promise<void> {
    this.socket?.terminate();
    this.socket = undefined;
  }

  private async send(method: string, ids: number[] | undefined, key: number, payload: unknown): Promise<unknown> {
    const socket = await this.connect(method);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(key);
        reject(new L1Error({ code: L1ErrorCode.RPC_TIMEOUT, method, timeoutMs: this.timeoutMs }));
      }, this.timeoutMs);
      this.pending.set(key, { method, ids, resolve, reject, timer });
      socket.send(JSON.stringify(payload));
    });
  }

  private connect(method: string): Promise<WebSocket> {
    if (this.socket?.readyState === WebSocket.OPEN) return Promise.resolve(this.socket);
    this.opening ??= new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(this.url, { handshakeTimeout: this.timeoutMs });
      socket.once("open", () => resolve(socket));
      socket.once("error", (err) =>
        reject(new L1Error({ code: L1ErrorCode.RPC_UNREACHABLE, method, reason: err.message })),
      );
      socket.on("message", (data) => this.onMessage(data.toString()));
      socket.on("close", () => this.failAll("connection closed"));
    }).finally(() => (this.opening = undefined));
    return this.opening.then((socket) => (this.socket = socket));
  }

  private onMessage(text: string): void {
    let body: unknown;
    try {
      body = parseJson("ws", text);
    } catch {
      return this.failAll("not JSON");
    }
    const key = Array.isArray(body) ? minId(body) : (body as { id?: unknown }).id;
    const entry = typeof key === "number" ? this.pending.get(key) : undefined;
    if (entry === undefined) return; // a late answer to a call that already timed out
    this.pending.delete(key as number);
    clearTimeout(entry.timer);
    try {
      entry.resolve(
        entry.ids === undefined ? resultOf(entry.method, body) : batchResults(entry.method, body, entry.ids),
      );
    } catch (err) {
      entry.reject(err);
    }
  }

  private failAll(reason: string): void {
    this.socket = undefined;
    for (const [id, entry] of this.pending) {
      clearTimeout(entry.timer);
      entry.reject(new L1Error({ code: L1ErrorCode.RPC_UNREACHABLE, method: entry.method, reason }));
      this.pending.delete(id);
    }
  }
}

/** A batch answer is keyed by its smallest id (the id of its first request). */
function minId(items: unknown[]): number | undefined {
  let min: number | undefined;
  for (const item of items) {
    const id = (item as { id?: unknown })?.id;
    if (typeof id === "number" && (min === undefined || id < min)) min = id;
  }
  return min;
}
