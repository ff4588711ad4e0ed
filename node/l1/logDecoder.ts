import { type EventFragment, Interface, type InterfaceAbi, type ParamType } from "ethers";
import type { Address, GovernanceEvent, GovernanceEventBody, Hex } from "../types/governance";
import { L1Error, L1ErrorCode } from "./errors";
import { type FieldType, GOVERNANCE_FIELDS, isGovernanceKind } from "./governanceFields";
import type { RawLog } from "./rawTypes";

/** One registry: its address and its compiled ABI. */
export interface ContractAbi {
  readonly address: Address;
  readonly abi: InterfaceAbi;
}

/** Where one field sits in a log: a topic (indexed) or a 32-byte data word. */
interface FieldSlice {
  readonly name: string;
  readonly type: FieldType;
  readonly inTopics: boolean;
  readonly index: number;
  readonly signed: boolean;
}

interface EventSlicer {
  readonly kind: GovernanceEvent["kind"];
  readonly fields: readonly FieldSlice[];
  readonly topicCount: number;
  readonly dataWords: number;
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
        if (isGovernanceKind(fragment.name)) byTopic.set(fragment.topicHash, buildSlicer(fragment));
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
  decode(log: RawLog): GovernanceEvent {
    const slicer = this.slicers.get(log.address)?.get(log.topics[0]);
    if (slicer === undefined) throw undecodable(log, "unknown address or topic0");
    if (log.topics.length !== slicer.topicCount || log.data.length !== 2 + 64 * slicer.dataWords) {
      throw undecodable(log, `${slicer.kind}: wrong topic count or data length`);
    }
    const body: Record<string, unknown> = { kind: slicer.kind };
    for (const f of slicer.fields) {
      const word = f.inTopics ? log.topics[f.index].slice(2) : log.data.slice(2 + 64 * f.index, 66 + 64 * f.index);
      body[f.name] = fieldValue(f, word, log);
    }
    return {
      ...(body as GovernanceEventBody),
      blockNumber: log.blockNumber,
      blockHash: log.blockHash,
      transactionHash: log.transactionHash,
      logIndex: log.logIndex,
    };
  }
}

function buildSlicer(fragment: EventFragment): EventSlicer {
  const kind = fragment.name as GovernanceEvent["kind"];
  const wanted = GOVERNANCE_FIELDS[kind];
  const fields: FieldSlice[] = [];
  let topic = 1;
  let word = 0;
  for (const input of fragment.inputs) {
    const position = input.indexed ? topic++ : word++;
    if (!isStatic32(input)) {
      throw mismatch(kind, `${input.name}: ${input.type} is not a one-word static type`);
    }
    const type = wanted[input.name];
    if (type === undefined) continue; // a parameter the model does not use
    if (!compatible(type, input.type)) throw mismatch(kind, `${input.name}: ${input.type} cannot be ${type}`);
    fields.push({
      name: input.name,
      type,
      inTopics: input.indexed === true,
      index: position,
      signed: /^int/.test(input.type),
    });
  }
  for (const name of Object.keys(wanted)) {
    if (!fields.some((f) => f.name === name)) throw mismatch(kind, `the ABI event has no parameter ${name}`);
  }
  return { kind, fields, topicCount: topic, dataWords: word };
}

function isStatic32(input: ParamType): boolean {
  return /^(address|bool|u?int\d*|bytes32)$/.test(input.type);
}

function compatible(type: FieldType, solidity: string): boolean {
  if (type === "address") return solidity === "address";
  if (type === "hex") return solidity === "bytes32";
  return /^u?int\d*$/.test(solidity);
}

function fieldValue(f: FieldSlice, word: string, log: RawLog): Address | Hex | bigint | number {
  switch (f.type) {
    case "address":
      if (!word.startsWith("000000000000000000000000")) throw undecodable(log, `${f.name}: dirty address word`);
      return `0x${word.slice(24)}`;
    case "hex":
      return `0x${word}`;
    case "bigint":
      return f.signed ? BigInt.asIntN(256, BigInt(`0x${word}`)) : BigInt(`0x${word}`);
    case "number": {
      const n = BigInt(`0x${word}`);
      if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw undecodable(log, `${f.name}: ${n} out of range`);
      return Number(n);
    }
  }
}

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
