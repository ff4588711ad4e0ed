import { JSONRPCErrorException } from "json-rpc-2.0";
import { z } from "zod";
import { describeIssues, dottedPath, formatProblem } from "../config/zodIssue";

/** JSON-RPC error codes: the spec's, then repchain's own in the -32000 server range. */
export enum RpcErrorCode {
  ParseError = -32700,
  InvalidRequest = -32600,
  MethodNotFound = -32601,
  InvalidParams = -32602,
  InternalError = -32603,
  /** The thing asked for does not exist (a block height beyond the head, an unknown hash). */
  NotFound = -32001,
  /** A transaction or other submission was refused; the message says why. */
  Rejected = -32002,
}

export class RpcError extends JSONRPCErrorException {
  constructor(code: RpcErrorCode, message: string, data?: unknown) {
    super(message, code, data);
  }
}

/** One JSON-RPC method: its params (a positional array) validated by zod before the handler runs. */
export interface RpcMethod {
  readonly description: string;
  call(params: unknown): Promise<unknown>;
}

export function defineMethod<Schema extends z.ZodType>(
  description: string,
  params: Schema,
  handler: (params: z.infer<Schema>) => unknown,
): RpcMethod {
  return {
    description,
    async call(raw: unknown): Promise<unknown> {
      const input = raw ?? [];
      const parsed = params.safeParse(input);
      if (!parsed.success) {
        const [first] = describeIssues(parsed.error, input, dottedPath("params"));
        throw new RpcError(RpcErrorCode.InvalidParams, formatProblem(first), first);
      }
      return handler(parsed.data);
    },
  };
}

/** Makes a result JSON-safe: bigint → decimal string, bytes → 0x-hex, Map → object. */
export function toJsonValue(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return `0x${Buffer.from(value).toString("hex")}`;
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value instanceof Map) return toJsonValue(Object.fromEntries(value));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonValue(v)]));
  }
  return value;
}
