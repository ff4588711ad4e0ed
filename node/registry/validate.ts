import { GovernanceError, GovernanceErrorCode } from "./errors";

const ADDRESS_RE = /^0x[0-9a-f]{40}$/;
const BYTES32_RE = /^0x[0-9a-f]{64}$/;

/**
 * Addresses are map keys and the election's tie-break compares them as strings, so one address
 * must always be the same lowercase string (ethers decodes to checksummed case: the follower must
 * lowercase). Checked where an address first enters the state (a registration, an auditor, a
 * voter's first approval); every later event must find it there, so checking again is not needed.
 */
export function requireLowercaseAddress(value: string, field: string): void {
  if (!ADDRESS_RE.test(value)) {
    throw new GovernanceError({ code: GovernanceErrorCode.INVALID_FIELD, field, reason: "not a lowercase address" });
  }
}

export function requireLowercaseBytes32(value: string, field: string): void {
  if (!BYTES32_RE.test(value)) {
    throw new GovernanceError({ code: GovernanceErrorCode.INVALID_FIELD, field, reason: "not a lowercase bytes32" });
  }
}
