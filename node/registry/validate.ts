import { EVENT_FIELDS, isRemovalReason, type EventFieldType, type RegistryEventBody } from "./events";
import { RegistryError, RegistryErrorCode } from "./errors";

const ADDRESS_RE = /^0x[0-9a-f]{40}$/;
const BYTES32_RE = /^0x[0-9a-f]{64}$/;
const MAX_UINT64 = (1n << 64n) - 1n;
const MAX_UINT256 = (1n << 256n) - 1n;

function invalid(field: string, reason: string): RegistryError {
  return new RegistryError({ code: RegistryErrorCode.INVALID_FIELD, field, reason });
}

function requireUint(field: string, value: unknown, max: bigint): void {
  if (typeof value !== "bigint" || value < 0n || value > max) throw invalid(field, `not a uint in [0, ${max}]`);
}

/**
 * Throws INVALID_FIELD unless `value` is a canonical value of the field type (EVENT_FIELDS). Addresses
 * are map keys and the election's tie-break compares them as strings, so one address must always be
 * the same lowercase string (ethers decodes to checksummed case: the follower must lowercase).
 */
export function requireFieldValue(field: string, type: EventFieldType, value: unknown): void {
  switch (type) {
    case "address":
      if (typeof value !== "string" || !ADDRESS_RE.test(value)) throw invalid(field, "not a lowercase address");
      return;
    case "bytes32":
      if (typeof value !== "string" || !BYTES32_RE.test(value)) throw invalid(field, "not a lowercase bytes32");
      return;
    case "uint64":
      return requireUint(field, value, MAX_UINT64);
    case "uint256":
      return requireUint(field, value, MAX_UINT256);
    case "reason":
      if (!isRemovalReason(value)) throw invalid(field, "not a reason");
      return;
    case "count":
      if (!Number.isSafeInteger(value) || (value as number) < 0) throw invalid(field, "not an integer in [0, 2^53)");
      return;
  }
}

const FIELD_TYPES = new Map(
  Object.entries(EVENT_FIELDS).map(([kind, fields]) => [kind, new Map<string, EventFieldType>(fields)]),
);

/**
 * Checks one field of an event against its type in EVENT_FIELDS. The reducer calls it where a value
 * first enters the state (a registration, an auditor, a voter's first approval); every later event
 * must find it there, so checking again is not needed.
 */
export function requireEventField<E extends RegistryEventBody>(e: E, field: keyof E & string): void {
  const type = FIELD_TYPES.get(e.kind)?.get(field);
  if (type === undefined) throw invalid(field, `not a field of ${e.kind}`);
  requireFieldValue(field, type, e[field]);
}
