import {
  EVENT_FIELDS,
  isRemovalReason,
  SOLIDITY_TYPES,
  type EventFieldType,
  type RegistryEvent,
  type RegistryEventKind,
} from "./events";
import { RegistryError, RegistryErrorCode } from "./errors";
import { requireFieldValue } from "./validate";

/**
 * The canonical binary form of a RegistryEvent, used by the store and carried in L2 blocks
 * (whose event root hashes it), so one event has exactly one encoding:
 *
 *   byte 0     format version (2: registration-bound votes, voting power, slashing, key rotation)
 *   byte 1     event kind code (KIND_CODES; fixed forever, new kinds take new codes)
 *   bytes 2..  the ABI encoding (`abi.encode`) of the kind's fields in the order of EVENT_FIELDS,
 *              followed by the L1 position
 *              (uint64 blockNumber, bytes32 blockHash, bytes32 transactionHash, uint32 logIndex).
 *
 * Every field is a static ABI type, so the ABI part is one 32-byte word per field. It is written
 * and read here directly (faster than AbiCoder, and strict): decode rejects a wrong version,
 * kind or length, a dirty padding byte, an out-of-range value and a non-enum reason, so any byte
 * string it accepts is the one `encodeRegistryEvent` produces for the decoded event.
 */
export const GOVERNANCE_EVENT_ENCODING_VERSION = 2;

/** The field types of the events, plus the two integer types of their L1 position. */
type FieldType = EventFieldType | "blockNumber" | "logIndex";
type FieldSpec = readonly [name: string, type: FieldType];

/** Codes of retired kinds (7 DepositRefunded, 10 RepresentativeCountChanged) are never reused. */
export const KIND_CODES: Readonly<Record<RegistryEventKind, number>> = {
  AuditorAdded: 1,
  AuditorRemoved: 2,
  ThresholdChanged: 3,
  CandidateRegistered: 4,
  CredentialsRenewed: 5,
  CandidateRemoved: 6,
  MinDepositChanged: 8,
  UnbondingPeriodChanged: 9,
  VoteCast: 11,
  VoteRevoked: 12,
  MaxVotesPerVoterChanged: 13,
  SigningKeyRotated: 14,
  CandidateSlashed: 15,
  RefundCredited: 16,
  RepresentativeRuleChanged: 17,
  DelegateVotesChanged: 18,
};

/** The ABI type of each field, for cross-checks against ethers' AbiCoder. */
export const ABI_TYPES: Readonly<Record<FieldType, string>> = {
  ...SOLIDITY_TYPES,
  blockNumber: "uint64",
  logIndex: "uint32",
};

export const POSITION_FIELDS: readonly FieldSpec[] = [
  ["blockNumber", "blockNumber"],
  ["blockHash", "bytes32"],
  ["transactionHash", "bytes32"],
  ["logIndex", "logIndex"],
];

const KIND_BY_CODE: ReadonlyMap<number, RegistryEventKind> = new Map(
  (Object.entries(KIND_CODES) as [RegistryEventKind, number][]).map(([kind, code]) => [code, kind]),
);

const WORD = 32;
const HEADER = 2;
const MAX_UINT32 = 2 ** 32 - 1;

function invalid(field: string, reason: string): RegistryError {
  return new RegistryError({ code: RegistryErrorCode.INVALID_FIELD, field, reason });
}

function malformed(reason: string, length: number): RegistryError {
  return new RegistryError({ code: RegistryErrorCode.MALFORMED_ENCODING, reason, length });
}

// Each kind's fields with the position after them, built once: encode runs once per event stored.
const FIELDS_OF = new Map<RegistryEventKind, readonly FieldSpec[]>(
  (Object.keys(EVENT_FIELDS) as RegistryEventKind[]).map((kind) => [kind, [...EVENT_FIELDS[kind], ...POSITION_FIELDS]]),
);

function fieldsOf(kind: RegistryEventKind): readonly FieldSpec[] {
  return FIELDS_OF.get(kind) as readonly FieldSpec[];
}

/** The canonical bytes of one event. Throws INVALID_FIELD for a value outside its type. */
export function encodeRegistryEvent(e: RegistryEvent): Uint8Array {
  const code = KIND_CODES[e.kind];
  if (code === undefined) {
    throw new RegistryError({ code: RegistryErrorCode.UNKNOWN_EVENT_KIND, kind: String(e.kind) });
  }
  const fields = fieldsOf(e.kind);
  const out = Buffer.alloc(HEADER + WORD * fields.length);
  out[0] = GOVERNANCE_EVENT_ENCODING_VERSION;
  out[1] = code;
  const values = e as unknown as Record<string, unknown>;
  for (let i = 0; i < fields.length; i++) {
    const [name, type] = fields[i];
    writeWord(out, HEADER + i * WORD, name, type, values[name]);
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** The event these bytes encode. Throws a RegistryError for anything but a canonical encoding. */
export function decodeRegistryEvent(bytes: Uint8Array): RegistryEvent {
  if (!(bytes instanceof Uint8Array)) throw malformed("not a byte array", 0);
  if (bytes.length < HEADER) throw malformed("shorter than the header", bytes.length);
  if (bytes[0] !== GOVERNANCE_EVENT_ENCODING_VERSION) {
    throw new RegistryError({ code: RegistryErrorCode.UNSUPPORTED_ENCODING_VERSION, version: bytes[0] });
  }
  const kind = KIND_BY_CODE.get(bytes[1]);
  if (kind === undefined) throw malformed(`unknown kind code ${bytes[1]}`, bytes.length);
  const fields = fieldsOf(kind);
  if (bytes.length !== HEADER + WORD * fields.length) {
    throw malformed(`${kind} takes ${HEADER + WORD * fields.length} bytes`, bytes.length);
  }
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const event: Record<string, unknown> = { kind };
  fields.forEach(([name, type], i) => {
    event[name] = readWord(input, HEADER + i * WORD, name, type);
  });
  return event as unknown as RegistryEvent;
}

const TWO_64 = 1n << 64n;

// The word is zeroed (Buffer.alloc): a value below 2^64 (most of them) is its last 8 bytes.
function writeUint(out: Buffer, offset: number, value: bigint): void {
  if (value < TWO_64) out.writeBigUInt64BE(value, offset + WORD - 8);
  else out.write(value.toString(16).padStart(2 * WORD, "0"), offset, WORD, "hex");
}

function writeWord(out: Buffer, offset: number, name: string, type: FieldType, value: unknown): void {
  if (type === "blockNumber" || type === "logIndex" || type === "count") {
    const max = type === "logIndex" ? MAX_UINT32 : Number.MAX_SAFE_INTEGER;
    if (!Number.isSafeInteger(value) || (value as number) < 0 || (value as number) > max) {
      throw invalid(name, `not an integer in [0, ${max}]`);
    }
    return writeSafeInteger(out, offset, value as number);
  }
  requireFieldValue(name, type, value);
  switch (type) {
    case "address":
      out.write((value as string).slice(2), offset + 12, 20, "hex");
      return;
    case "bytes32":
      out.write((value as string).slice(2), offset, WORD, "hex");
      return;
    case "uint64":
    case "uint256":
      return writeUint(out, offset, value as bigint);
    case "reason":
      out[offset + WORD - 1] = value as number;
      return;
  }
}

/** Writes a safe non-negative integer as the last 7 bytes of a zeroed word, without a bigint. */
function writeSafeInteger(out: Buffer, offset: number, value: number): void {
  out[offset + 25] = Math.floor(value / 2 ** 48);
  out.writeUIntBE(value % 2 ** 48, offset + 26, 6);
}

/** Throws unless the first `zeros` bytes of the word are zero (ABI padding of a narrower type). */
function requirePadding(input: Buffer, offset: number, zeros: number, name: string): void {
  for (let i = 0; i < zeros; i++) {
    if (input[offset + i] !== 0) throw malformed(`dirty padding in ${name}`, input.length);
  }
}

function readWord(input: Buffer, offset: number, name: string, type: FieldType): unknown {
  switch (type) {
    case "address":
      requirePadding(input, offset, 12, name);
      return `0x${input.toString("hex", offset + 12, offset + WORD)}`;
    case "bytes32":
      return `0x${input.toString("hex", offset, offset + WORD)}`;
    case "uint64":
      requirePadding(input, offset, 24, name);
      return BigInt(`0x${input.toString("hex", offset + 24, offset + WORD)}`);
    case "uint256":
      return BigInt(`0x${input.toString("hex", offset, offset + WORD)}`);
    case "reason": {
      requirePadding(input, offset, 31, name);
      const reason = input[offset + 31];
      if (!isRemovalReason(reason)) {
        throw malformed(`unknown removal reason ${reason}`, input.length);
      }
      return reason;
    }
    case "blockNumber":
    case "count":
    case "logIndex":
      requirePadding(input, offset, type === "logIndex" ? 28 : 25, name);
      // Byte 25 holds bits 48..55: at most 0x1f keeps the value within 2^53 - 1.
      if (input[offset + 25] > 0x1f) throw malformed(`${name} beyond 2^53 - 1`, input.length);
      return input[offset + 25] * 2 ** 48 + input.readUIntBE(offset + 26, 6);
  }
}
