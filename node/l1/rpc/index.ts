import { HttpTransport } from "./http";
import type { RpcTransport } from "./transport";
import { WsTransport } from "./ws";

export type { RpcRequest, RpcTransport } from "./transport";

/** The transport for an http(s):// or ws(s):// URL. */
export function createTransport(url: string, timeoutMs: number, signal?: AbortSignal): RpcTransport {
  return /^wss?:/i.test(url) ? new WsTransport(url, timeoutMs) : new HttpTransport(url, timeoutMs, signal);
}
