import { L1Error, L1ErrorCode } from "../errors";
import { isRpcResponse } from "./transport";

/** Turns one JSON-RPC response object into its result, or the matching L1Error. */
export function resultOf(method: string, response: unknown): unknown {
  if (!isRpcResponse(response)) {
    throw new L1Error({ code: L1ErrorCode.RPC_BAD_RESPONSE, method, reason: "not a JSON-RPC response" });
  }
  if (response.error !== undefined) {
    const { code, message } = response.error;
    throw new L1Error({
      code: L1ErrorCode.RPC_ERROR_RESPONSE,
      method,
      rpcCode: typeof code === "number" ? code : 0,
      rpcMessage: typeof message === "string" ? message.slice(0, 300) : "(no message)",
    });
  }
  return response.result;
}

/** Parses a JSON body, classifying failure as a bad response. */
export function parseJson(method: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new L1Error({ code: L1ErrorCode.RPC_BAD_RESPONSE, method, reason: `not JSON: ${text.slice(0, 80)}` });
  }
}

/** Matches a batch answer to the request ids (servers may reorder a batch). */
export function batchResults(method: string, body: unknown, ids: number[]): unknown[] {
  if (!Array.isArray(body)) {
    // A server that refuses a whole batch answers with one error object.
    resultOf(method, body);
    throw new L1Error({ code: L1ErrorCode.RPC_BAD_RESPONSE, method, reason: "batch answer is not an array" });
  }
  const byId = new Map<unknown, unknown>();
  for (const item of body) if (isRpcResponse(item)) byId.set(item.id, item);
  return ids.map((id) => {
    if (!byId.has(id)) {
      throw new L1Error({ code: L1ErrorCode.RPC_BAD_RESPONSE, method, reason: `batch answer lacks id ${id}` });
    }
    return resultOf(method, byId.get(id));
  });
}
