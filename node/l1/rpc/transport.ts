/** One JSON-RPC call. */
export interface RpcRequest {
  readonly method: string;
  readonly params: readonly unknown[];
}

/**
 * A JSON-RPC connection to L1. Implementations turn every failure into an L1Error (retryable
 * codes for network trouble and garbage) except an abort of the caller's signal, which is
 * rethrown as is.
 */
export interface RpcTransport {
  call<T = unknown>(method: string, params: readonly unknown[]): Promise<T>;
  /** One JSON-RPC batch; results in request order. Any failed entry fails the whole batch. */
  batch<T = unknown>(requests: readonly RpcRequest[]): Promise<T[]>;
  close(): Promise<void>;
}

interface RpcResponse {
  id: unknown;
  result?: unknown;
  error?: { code?: unknown; message?: unknown };
}

export function isRpcResponse(value: unknown): value is RpcResponse {
  return typeof value === "object" && value !== null && "id" in value && ("result" in value || "error" in value);
}
