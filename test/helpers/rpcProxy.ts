import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One JSON-RPC request as the proxy saw it. */
export interface ProxiedCall {
  readonly method: string;
  readonly params: unknown[];
}

/**
 * What to do with one HTTP request: forward it (optionally rewriting the answer body), or answer
 * with something else. `calls` are the JSON-RPC calls in the request (one, or a batch).
 */
export type ProxyRule = (
  calls: ProxiedCall[],
) =>
  | { action: "forward"; rewrite?: (body: unknown) => unknown; delayMs?: number }
  | { action: "respond"; status: number; body: string }
  | { action: "reset" };

/** A tiny 127.0.0.1 HTTP proxy in front of the devnet, whose misbehaviour a test scripts. */
export interface RpcProxy {
  readonly url: string;
  rule: ProxyRule;
  readonly seen: ProxiedCall[];
  close(): Promise<void>;
}

export const forwardAll: ProxyRule = () => ({ action: "forward" });

export async function startRpcProxy(upstream: string): Promise<RpcProxy> {
  const proxy: { rule: ProxyRule; seen: ProxiedCall[] } = { rule: forwardAll, seen: [] };
  const server: Server = createServer((req, res) => void handle(proxy, upstream, req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(proxy, {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

async function handle(
  proxy: { rule: ProxyRule; seen: ProxiedCall[] },
  upstream: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  const json = JSON.parse(text) as { method: string; params: unknown[] } | { method: string; params: unknown[] }[];
  const calls = (Array.isArray(json) ? json : [json]).map(({ method, params }) => ({ method, params }));
  proxy.seen.push(...calls);
  const decision = proxy.rule(calls);
  if (decision.action === "reset") {
    req.socket.destroy();
    return;
  }
  if (decision.action === "respond") {
    res.writeHead(decision.status, { "content-type": "application/json" }).end(decision.body);
    return;
  }
  if (decision.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
  if (req.socket.destroyed) return; // the client gave up waiting
  try {
    const answer = await fetch(upstream, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: text,
    });
    let body = await answer.text();
    if (decision.rewrite) body = JSON.stringify(decision.rewrite(JSON.parse(body)));
    res.writeHead(answer.status, { "content-type": "application/json" }).end(body);
  } catch {
    req.socket.destroy(); // upstream down: the client sees a reset, as with a dead endpoint
  }
}
