import { type EventFragment, Interface, type InterfaceAbi, type ParamType } from "ethers";
import type { Address, Hex } from "../types/primitives";
import {
  EVENT_FIELDS,
  isRegistryEventKind,
  SOLIDITY_TYPES,
  type EventFieldType,
  type RegistryEvent,
} from "../registry/events";
import { L1Error, L1ErrorCode } from "./errors";
import type { RawLog } from "./rawTypes";

/** One registry: its address and its compiled ABI. */
export interface ContractAbi {
  readonly address: Address;
  readonly abi: InterfaceAbi;
}

/** Reads one field of a log: a closure specialised, once, on the field's type and position. */
type FieldReader = (log: RawLog) => Address | Hex | bigint | number;

interface EventSlicer {
  readonly kind: RegistryEvent["kind"];
  readonly names: readonly string[];
  readonly readers: readonly FieldReader[];
  readonly topicCount: number;
  readonly dataLength: number;
}

/**
 * Decodes registry logs into governance events. The slicers are derived once from the compiled
 * ABI's event fragments (topic hash, indexed flags, parameter order), then each log is decoded by
 * slicing its topics and 32-byte data words: ethers' Interface.parseLog manages ≈ 8k logs/s,
 * slicing > 100k/s. Only static parameter types occur in the governance events; the binding
 * check at construction refuses anything else.
 */
export class LogDecoder {
  /** address → topic0 → slicer. A log is decoded only if its (address, topic0) pair is known. */
  private readonly slicers = new Map<string, Map<string, EventSlicer>>();

  constructor(contracts: readonly ContractAbi[]) {
    for (const { address, abi } of contracts) {
      const byTopic = new Map<string, EventSlicer>();
      new Interface(abi).forEachEvent((fragment) => {
        if (isRegistryEventKind(fragment.name)) byTopic.set(fragment.topicHash, buildSlicer(fragment));
      });
      this.slicers.set(address.toLowerCase(), byTopic);
    }
  }

  /** The contract addresses, for the eth_getLogs filter. */
  get addresses(): Address[] {
    return [...this.slicers.keys()] as Address[];
  }

  /** Every governance topic0, for the eth_getLogs filter. */
  get topics(): Hex[] {
    const all = new Set<string>();
    for (const byTopic of this.slicers.values()) for (const t of byTopic.keys()) all.add(t);
    return [...all] as Hex[];
  }

  /** Decodes one checked log; an unknown (address, topic0) or malformed log is RPC_BAD_RESPONSE. */
  decode(log: RawLog): RegistryEvent {
    const slicer = this.slicers.get(log.address)?.get(log.topics[0]);
    if (slicer === undefined) throw undecodable(log, "unknown address or topic0");
    if (log.topics.length !== slicer.topicCount || log.data.length !== slicer.dataLength) {
      throw undecodable(log, `${slicer.kind}: wrong topic count or data length`);
    }
    const event: Record<string, unknown> = { kind: slicer.kind };
    for (let i = 0; i < slicer.readers.length; i++) event[slicer.names[i]] = slicer.readers[i](log);
    event.blockNumber = log.blockNumber;
    event.blockHash = log.blockHash;
    event.transactionHash = log.transactionHash;
    event.logIndex = log.logIndex;
    return event as unknown as RegistryEvent;
  }
}

function buildSlicer(fragment: EventFragment): EventSlicer {
  const kind = fragment.name as RegistryEvent["kind"];
  const wanted = new Map<string, EventFieldType>(EVENT_FIELDS[kind]);
  const names: string[] = [];
  const readers: FieldReader[] = [];
  let topic = 1;
  let word = 0;
  for (const input of fragment.inputs) {
    const position = input.indexed ? topic++ : word++;
    if (!isStatic32(input)) throw mismatch(kind, `${input.name}: ${input.type} is not a one-word static type`);
    const type = wanted.get(input.name);
    if (type === undefined) continue; // a parameter the model does not use
    if (input.type !== SOLIDITY_TYPES[type]) {
      throw mismatch(kind, `${input.name}: ${input.type} where the model has ${SOLIDITY_TYPES[type]}`);
    }
    names.push(input.name);
    readers.push(fieldReader(input, type, input.indexed === true, position));
  }
  for (const name of wanted.keys()) {
    if (!names.includes(name)) throw mismatch(kind, `the ABI event has no parameter ${name}`);
  }
  return { kind, names, readers, topicCount: topic, dataLength: 2 + 64 * word };
}

function isStatic32(input: ParamType): boolean {
  return /^(address|bool|u?int\d*|bytes32)$/.test(input.type);
}

/** The 64 hex digits of one word: topic `index`, or data word `index`; `at` is where they start. */
function wordSource(inTopics: boolean, index: number): { read: (log: RawLog) => string; at: number } {
  return inTopics ? { read: (log) => log.topics[index], at: 2 } : { read: (log) => log.data, at: 2 + 64 * index };
}

function fieldReader(input: ParamType, type: EventFieldType, inTopics: boolean, index: number): FieldReader {
  const { read, at } = wordSource(inTopics, index);
  const name = input.name;
  switch (type) {
    case "address":
      return (log) => {
        const hex = read(log);
        if (!hex.startsWith(ADDRESS_PADDING, at)) throw undecodable(log, `${name}: dirty address word`);
        return `0x${hex.slice(at + 24, at + 64)}`;
      };
    case "bytes32":
      return (log) => `0x${read(log).slice(at, at + 64)}`;
    case "uint64":
    case "uint256":
      return (log) => BigInt(`0x${read(log).slice(at, at + 64)}`);
    case "reason":
    case "count":
      return (log) => {
        const n = BigInt(`0x${read(log).slice(at, at + 64)}`);
        if (n > MAX_SAFE) throw undecodable(log, `${name}: ${n} out of range`);
        return Number(n);
      };
  }
}

const ADDRESS_PADDING = "0".repeat(24);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function mismatch(event: string, reason: string): L1Error {
  return new L1Error({ code: L1ErrorCode.ABI_MISMATCH, event, reason });
}

function undecodable(log: RawLog, reason: string): L1Error {
  return new L1Error({
    code: L1ErrorCode.RPC_BAD_RESPONSE,
    method: "eth_getLogs",
    reason: `log ${log.blockNumber}/${log.logIndex} does not decode: ${reason}`,
  });
}
