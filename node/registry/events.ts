import type { Address, Hex, L1Position } from "../types/primitives";

/**
 * The L1 registry events: the only input from which a node learns the auditors, candidates, votes
 * and governed parameters. Their schema is written once, in EVENT_FIELDS; the TypeScript types
 * below, the L1 log decoder (node/l1/logDecoder.ts), the canonical codec that L2 blocks and the
 * store carry (codec.ts) and the reducer's field checks (validate.ts) all derive from it. Value
 * conventions: node/types/primitives.ts.
 */

/** Why CandidateRegistry removed a candidate (the `reason` of CandidateRemoved). */
export enum RemovalReason {
  Withdrawn = 0,
  Revoked = 1,
}

/** How a field is typed on L1; `reason` is the uint8 RemovalReason. */
export type EventFieldType = "address" | "bytes32" | "uint64" | "uint256" | "reason";
export type EventFieldSpec = readonly [name: string, type: EventFieldType];

/** The Solidity type each field has in the registries' events (the L1 decoder checks it against the ABI). */
export const SOLIDITY_TYPES: Readonly<Record<EventFieldType, string>> = {
  address: "address",
  bytes32: "bytes32",
  uint64: "uint64",
  uint256: "uint256",
  reason: "uint8",
};

/**
 * Every event kind with its fields, in the order the canonical encoding writes them (which is also
 * the order of the Solidity event's parameters). Fixed: a change here is a change of the block format.
 */
export const EVENT_FIELDS = {
  // AuditorRegistry
  AuditorAdded: [["auditor", "address"]],
  AuditorRemoved: [["auditor", "address"]],
  ThresholdChanged: [["threshold", "uint256"]],
  // CandidateRegistry
  CandidateRegistered: [
    ["candidate", "address"],
    ["operator", "address"],
    ["deposit", "uint256"],
    ["qualificationHash", "bytes32"],
    ["credentialExpiry", "uint64"],
  ],
  CredentialsRenewed: [
    ["candidate", "address"],
    ["credentialExpiry", "uint64"],
  ],
  CandidateRemoved: [
    ["candidate", "address"],
    ["reason", "reason"],
    ["refundableAt", "uint64"],
  ],
  DepositRefunded: [
    ["candidate", "address"],
    ["operator", "address"],
    ["amount", "uint256"],
  ],
  MinDepositChanged: [["minDeposit", "uint256"]],
  UnbondingPeriodChanged: [["unbondingPeriod", "uint256"]],
  RepresentativeCountChanged: [["representativeCount", "uint256"]],
  // VoteRegistry
  VoteCast: [
    ["voter", "address"],
    ["candidate", "address"],
  ],
  VoteRevoked: [
    ["voter", "address"],
    ["candidate", "address"],
  ],
  MaxVotesPerVoterChanged: [["maxVotesPerVoter", "uint256"]],
} as const satisfies Record<string, readonly EventFieldSpec[]>;

export type GovernanceEventKind = keyof typeof EVENT_FIELDS;

type FieldValue<T extends EventFieldType> = T extends "address"
  ? Address
  : T extends "bytes32"
    ? Hex
    : T extends "reason"
      ? RemovalReason
      : bigint;

type Fields<K extends GovernanceEventKind> = (typeof EVENT_FIELDS)[K][number];

/** One event kind's body, e.g. { kind: "VoteCast"; voter: Address; candidate: Address }. */
type BodyOf<K extends GovernanceEventKind> = {
  readonly [P in "kind" | Fields<K>[0]]: P extends "kind"
    ? K
    : FieldValue<Extract<Fields<K>, readonly [P, unknown]>[1]>;
};

export type GovernanceEventBody = { [K in GovernanceEventKind]: BodyOf<K> }[GovernanceEventKind];

/** One decoded L1 log of the three registries, with its position on L1. */
export type GovernanceEvent = GovernanceEventBody & L1Position;

export function isGovernanceKind(name: string): name is GovernanceEventKind {
  return Object.prototype.hasOwnProperty.call(EVENT_FIELDS, name);
}
