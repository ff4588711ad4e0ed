import type { AddressInfo } from "node:net";
import Fastify from "fastify";
import { JSONRPCErrorException, JSONRPCServer, createJSONRPCErrorResponse, type JSONRPCRequest } from "json-rpc-2.0";
import type { Registry } from "prom-client";
import type { Logger } from "../log";
import { RpcErrorCode, toJsonValue, type RpcMethod } from "./rpcMethod";

export interface RpcServerOptions {
  /** 127.0.0.1 unless the operator deliberately exposes the node. */
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly methods: Readonly<Record<string, RpcMethod>>;
  /** Prometheus registry served at GET /metrics. */
  readonly metrics?: Registry;
  /** Extra GET routes (the dashboard page and its script), path → content type and body. */
  readonly pages?: Readonly<Record<string, { contentType: string; body: string | Buffer }>>;
  readonly bodyLimitBytes?: number;
  readonly maxBatch?: number;
  readonly log: Logger;
}

export interface RunningRpcServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The node's HTTP face: JSON-RPC 2.0 on POST /, Prometheus metrics on GET /metrics, the dashboard on
 * GET /. A bad request never crashes the node: malformed JSON, unknown methods, bad params and
 * failing handlers all come back as JSON-RPC errors (failures the client cannot fix are logged and
 * reported as "internal error" without detail).
 */
export async function startRpcServer(options: RpcServerOptions): Promise<RunningRpcServer> {
  const rpc = buildJsonRpc(options);
  const app = Fastify({
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    loggerInstance: options.log.child({ module: "rpc" }),
  });
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => done(null, body));
  app.post("/", async (request, reply) => {
    const response = await receive(rpc, typeof request.body === "string" ? request.body : "", options.maxBatch ?? 100);
    if (response === null) return reply.code(204).send();
    return reply.type("application/json").send(JSON.stringify(response));
  });
  app.get("/health", async () => ({ ok: true }));
  const metrics = options.metrics;
  if (metrics)
    app.get("/metrics", async (_request, reply) => reply.type(metrics.contentType).send(await metrics.metrics()));
  for (const [path, page] of Object.entries(options.pages ?? {})) {
    app.get(path, async (_request, reply) => reply.type(page.contentType).send(page.body));
  }
  await app.listen({ host: options.host, port: options.port });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://${options.host}:${port}`, close: () => app.close() };
}

function buildJsonRpc(options: RpcServerOptions): JSONRPCServer {
  const rpc = new JSONRPCServer({ errorListener: () => undefined });
  for (const [name, method] of Object.entries(options.methods)) {
    rpc.addMethod(name, async (params) => toJsonValue(await method.call(params)));
  }
  rpc.mapErrorToJSONRPCErrorResponse = (id, error: unknown) => {
    if (error instanceof JSONRPCErrorException)
      return createJSONRPCErrorResponse(id, error.code, error.message, error.data);
    options.log.error({ err: error instanceof Error ? error.message : String(error) }, "rpc handler failed");
    return createJSONRPCErrorResponse(id, RpcErrorCode.InternalError, "internal error");
  };
  return rpc;
}

async function receive(rpc: JSONRPCServer, body: string, maxBatch: number): Promise<unknown> {
  let request: unknown;
  try {
    request = JSON.parse(body);
  } catch {
    return createJSONRPCErrorResponse(null, RpcErrorCode.ParseError, "parse error");
  }
  if (Array.isArray(request)) {
    if (request.length === 0 || request.length > maxBatch) {
      return createJSONRPCErrorResponse(null, RpcErrorCode.InvalidRequest, `a batch holds 1 to ${maxBatch} requests`);
    }
    // Answer each on its own so a batch of one still gets an array, as the spec says.
    const answers = await Promise.all(request.map((r) => rpc.receive(r as JSONRPCRequest)));
    const present = answers.filter((a) => a !== null);
    return present.length > 0 ? present : null;
  }
  return rpc.receive(request as JSONRPCRequest);
}
