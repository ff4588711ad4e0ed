import type { L1Header } from "../types/l1";
import { parseHeader, toQuantity } from "./rawTypes";
import type { RpcTransport } from "./rpc";

/** JSON-RPC batches of at most this many headers (one HTTP request each). */
const HEADER_BATCH = 500;

/** The canonical headers of `numbers` (null where the chain is shorter), by one JSON-RPC batch per 500. */
export async function fetchHeaders(
  rpc: RpcTransport,
  numbers: readonly number[],
): Promise<Map<number, L1Header | null>> {
  const out = new Map<number, L1Header | null>();
  for (let i = 0; i < numbers.length; i += HEADER_BATCH) {
    const chunk = numbers.slice(i, i + HEADER_BATCH);
    const results = await rpc.batch(
      chunk.map((n) => ({ method: "eth_getBlockByNumber", params: [toQuantity(n), false] })),
    );
    chunk.forEach((n, j) => out.set(n, parseHeader(results[j], n)));
  }
  return out;
}
