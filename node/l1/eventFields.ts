import type { GovernanceEventKind } from "../registry/events";
import { BODY_FIELDS } from "../registry/codec";

/** How a model field is represented: see the conventions in node/types/primitives.ts. */
export type FieldType = "address" | "bigint" | "number" | "hex";

const MODEL_TYPE = {
  address: "address",
  bytes32: "hex",
  uint64: "bigint",
  uint256: "bigint",
  reason: "number",
  count: "number",
  blockNumber: "number",
  logIndex: "number",
} as const;

/**
 * The fields of each governance event, derived from the codec's one field table (BODY_FIELDS).
 * The decoder checks at start-up that every compiled ABI event of these names carries these
 * parameters with a matching Solidity type, so a contract change that breaks the model stops
 * the node before it reads a single log instead of producing wrong events.
 */
export const GOVERNANCE_FIELDS: { readonly [K in GovernanceEventKind]: Readonly<Record<string, FieldType>> } =
  Object.fromEntries(
    Object.entries(BODY_FIELDS).map(([kind, fields]) => [
      kind,
      Object.fromEntries(fields.map(([name, type]) => [name, MODEL_TYPE[type]])),
    ]),
  ) as { readonly [K in GovernanceEventKind]: Readonly<Record<string, FieldType>> };

export function isGovernanceKind(name: string): name is GovernanceEventKind {
  return Object.prototype.hasOwnProperty.call(GOVERNANCE_FIELDS, name);
}
