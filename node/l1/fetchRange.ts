import type { Hex } from "../types/primitives";
import type { RegistryEvent } from "../registry/events";
import type { L1Header } from "../types/l1";
import { L1Error, L1ErrorCode } from "./errors";
import { fetchHeaders } from "./headers";
import type { LogDecoder } from "./logDecoder";
import { parseLog, type RawLog, toQuantity } from "./rawTypes";
import type { RpcTransport } from "./rpc";

/** A block range read from one history: its events, and the headers they were checked against. */
export interface FetchedRange {
  readonly fromHeader: L1Header;
  readonly toHeader: L1Header;
  /** Decoded events in L1 order, each from the block whose header is in `eventHeaders`. */
  readonly events: RegistryEvent[];
  /** Header of every block carrying an event. */
  readonly eventHeaders: Map<number, L1Header>;
}

/**
 * Reads [from, to] so that two histories cannot mix (Hardhat and many nodes never mark reorged
 * logs `removed`): the range's end headers are read before the logs and again after, every log's
 * blockHash must equal the header of its block read after the logs, and if the end headers moved
 * meanwhile the whole range is thrown away (RANGE_CHANGED) and read again.
 */
export async function fetchRange(
  rpc: RpcTransport,
  decoder: LogDecoder,
  from: number,
  to: number,
): Promise<FetchedRange> {
  const before = await fetchHeaders(rpc, from === to ? [from] : [from, to]);
  const fromHeader = before.get(from);
  const toHeader = before.get(to);
  if (!fromHeader || !toHeader) throw changed(from, to, "the chain is shorter than the range");

  const rawLogs = await rpc.call<unknown>("eth_getLogs", [
    { fromBlock: toQuantity(from), toBlock: toQuantity(to), address: decoder.addresses, topics: [decoder.topics] },
  ]);
  if (!Array.isArray(rawLogs)) {
    throw new L1Error({ code: L1ErrorCode.RPC_BAD_RESPONSE, method: "eth_getLogs", reason: "result is not an array" });
  }
  const logs = uniqueLogs(rawLogs.map(parseLog), from, to);

  const blocks = [...new Set([from, to, ...logs.map((l) => l.blockNumber)])];
  const after = await fetchHeaders(rpc, blocks);
  if (after.get(from)?.hash !== fromHeader.hash || after.get(to)?.hash !== toHeader.hash) {
    throw changed(from, to, "the range's end headers changed while reading it");
  }
  const eventHeaders = new Map<number, L1Header>();
  const events: RegistryEvent[] = new Array(logs.length);
  for (let i = 0; i < logs.length; i++) {
    const log = logs[i];
    const header = after.get(log.blockNumber);
    if (!header || header.hash !== log.blockHash) {
      throw changed(
        from,
        to,
        `log ${log.blockNumber}/${log.logIndex} is from block ${log.blockHash}, not the canonical one`,
      );
    }
    eventHeaders.set(log.blockNumber, header);
    events[i] = decoder.decode(log);
  }
  return { fromHeader, toHeader, events, eventHeaders };
}

/**
 * Drops exact duplicates (same blockHash and logIndex: an endpoint may repeat a log), refuses
 * logs outside the range or two different logs at one position, and sorts into L1 order.
 */
function uniqueLogs(logs: RawLog[], from: number, to: number): RawLog[] {
  const seen = new Map<string, Hex>();
  const out: RawLog[] = [];
  for (const log of logs) {
    if (log.blockNumber < from || log.blockNumber > to) {
      throw new L1Error({
        code: L1ErrorCode.RPC_BAD_RESPONSE,
        method: "eth_getLogs",
        reason: `log of block ${log.blockNumber} outside the range ${from}..${to}`,
      });
    }
    const position = `${log.blockNumber}/${log.logIndex}`;
    const hashAtPosition = seen.get(position);
    if (hashAtPosition === log.blockHash) continue;
    if (hashAtPosition !== undefined) throw changed(from, to, `two histories at log ${position}`);
    seen.set(position, log.blockHash);
    out.push(log);
  }
  out.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
  return out;
}

function changed(fromBlock: number, toBlock: number, reason: string): L1Error {
  return new L1Error({ code: L1ErrorCode.RANGE_CHANGED, fromBlock, toBlock, reason });
}
