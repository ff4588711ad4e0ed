import { L1Error, L1ErrorCode } from "../errors";
import { batchResults, parseJson, resultOf } from "./responses";
import type { RpcRequest, RpcTransport } from "./transport";

/**
 * JSON-RPC over HTTP with plain fetch and JSON.parse. Not ethers' provider: its getLogs is
 * quadratic in the response size (see docs/follower.md), and the follower needs JSON-RPC batches
 * and its own error classification.
 */
export class HttpTransport implements RpcTransport {
  private nextId = 1;

  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
    private readonly signal?: AbortSignal,
  ) {}

  async call<T>(method: string, params: readonly unknown[]): Promise<T> {
    const id = this.nextId++;
    const body = await this.post(method, { jsonrpc: "2.0", id, method, params });
    if (isRpcObject(body) && body.id !== id) {
      throw new L1Error({ code: L1ErrorCode.RPC_BAD_RESPONSE, method, reason: `answer to id ${String(body.id)}` });
    }
    return resultOf(method, body) as T;
  }

  async batch<T>(requests: readonly RpcRequest[]): Promise<T[]> {
    if (requests.length === 0) return [];
    const ids = requests.map(() => this.nextId++);
    const label = `batch(${requests[0].method}×${requests.length})`;
    const payload = requests.map((r, i) => ({ jsonrpc: "2.0", id: ids[i], method: r.method, params: r.params }));
    return batchResults(label, await this.post(label, payload), ids) as T[];
  }

  async close(): Promise<void> {}

  private async post(method: string, payload: unknown): Promise<unknown> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = this.signal === undefined ? timeout : AbortSignal.any([this.signal, timeout]);
    let text: string;
    try {
      const res = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(payload),
        signal,
      });
      text = await res.text();
      if (res.status !== 200) throw new L1Error({ code: L1ErrorCode.RPC_HTTP_STATUS, method, status: res.status });
    } catch (err) {
      throw this.classify(method, err, timeout);
    }
    return parseJson(method, text);
  }

  private classify(method: string, err: unknown, timeout: AbortSignal): unknown {
    if (err instanceof L1Error) return err;
    if (this.signal?.aborted) return err; // the caller stops us: not an RPC failure
    if (timeout.aborted) return new L1Error({ code: L1ErrorCode.RPC_TIMEOUT, method, timeoutMs: this.timeoutMs });
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (err as Error).message ?? String(err);
    return new L1Error({ code: L1ErrorCode.RPC_UNREACHABLE, method, reason });
  }
}

function isRpcObject(body: unknown): body is { id: unknown } {
  return typeof body === "object" && body !== null && !Array.isArray(body) && "id" in body;
}
