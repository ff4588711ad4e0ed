import type { Address, Hex } from "../types/primitives";
import type { L1Header } from "../types/l1";
import { L1Error, L1ErrorCode } from "./errors";

/**
 * Shape checks for what eth_getLogs / eth_getBlockByNumber return. Hand-written rather than a
 * schema library: they run once per log on the ingest hot path (100k logs/s), and every field
 * the follower relies on is checked, so garbage becomes RPC_BAD_RESPONSE instead of a wrong event.
 */

/** An eth_getLogs entry, checked and with numbers parsed. Hex is lowercased. */
export interface RawLog {
  readonly address: Address;
  readonly topics: Hex[];
  readonly data: Hex;
  readonly blockNumber: number;
  readonly blockHash: Hex;
  readonly transactionHash: Hex;
  readonly logIndex: number;
}

const HASH = /^0x[0-9a-fA-F]{64}$/;
const HASH_LOWER = /^0x[0-9a-f]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const QUANTITY = /^0x(0|[1-9a-fA-F][0-9a-fA-F]{0,12})$/; // at most 2^52: a safe integer
const DATA = /^0x(?:[0-9a-fA-F]{64})*$/; // event data is whole 32-byte words

function bad(method: string, reason: string): L1Error {
  return new L1Error({ code: L1ErrorCode.RPC_BAD_RESPONSE, method, reason });
}

export function parseQuantity(method: string, value: unknown, field: string): number {
  if (typeof value !== "string" || !QUANTITY.test(value))
    throw bad(method, `${field} is not a quantity: ${String(value)}`);
  return parseInt(value, 16);
}

function parseHash(method: string, value: unknown, field: string): Hex {
  if (typeof value === "string" && HASH_LOWER.test(value)) return value as Hex; // the usual case: no copy
  if (typeof value !== "string" || !HASH.test(value)) throw bad(method, `${field} is not a 32-byte hash`);
  return value.toLowerCase() as Hex;
}

export function parseLog(value: unknown): RawLog {
  const m = "eth_getLogs";
  if (typeof value !== "object" || value === null) throw bad(m, "log is not an object");
  const log = value as Record<string, unknown>;
  if (log.removed === true) throw bad(m, "log marked removed");
  if (typeof log.address !== "string" || !ADDRESS.test(log.address)) throw bad(m, "log address malformed");
  if (!Array.isArray(log.topics) || log.topics.length === 0 || log.topics.length > 4)
    throw bad(m, "log topics malformed");
  if (typeof log.data !== "string" || !DATA.test(log.data)) throw bad(m, "log data malformed");
  const topics: Hex[] = new Array(log.topics.length);
  for (let i = 0; i < topics.length; i++) topics[i] = parseHash(m, log.topics[i], "topic");
  return {
    address: log.address.toLowerCase() as Address,
    topics,
    data: log.data.toLowerCase() as Hex,
    blockNumber: parseQuantity(m, log.blockNumber, "blockNumber"),
    blockHash: parseHash(m, log.blockHash, "blockHash"),
    transactionHash: parseHash(m, log.transactionHash, "transactionHash"),
    logIndex: parseQuantity(m, log.logIndex, "logIndex"),
  };
}

/** An eth_getBlockByNumber result; null (no such block) stays null. */
export function parseHeader(value: unknown, expectedNumber: number): L1Header | null {
  const m = "eth_getBlockByNumber";
  if (value === null) return null;
  if (typeof value !== "object") throw bad(m, "block is not an object");
  const block = value as Record<string, unknown>;
  const header: L1Header = {
    number: parseQuantity(m, block.number, "number"),
    hash: parseHash(m, block.hash, "hash"),
    parentHash: parseHash(m, block.parentHash, "parentHash"),
    timestamp: parseQuantity(m, block.timestamp, "timestamp"),
  };
  if (header.number !== expectedNumber) throw bad(m, `asked for block ${expectedNumber}, got ${header.number}`);
  return header;
}

export function toQuantity(n: number): string {
  return `0x${n.toString(16)}`;
}
