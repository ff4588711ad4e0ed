import type { Address, Hex, L1Position } from "../types/primitives";

/**
 * The L1 events of the registries and the voting token: the only input from which a node learns the
 * auditors, candidates, votes, voting power and governed parameters. Their schema is written once, in EVENT_FIELDS; the TypeScript types
 * below, the L1 log decoder (node/l1/logDecoder.ts), the canonical codec that L2 blocks and the
 * store carry (codec.ts) and the reducer's field checks (validate.ts) all derive from it. Value
 * conventions: node/types/primitives.ts.
 */

/** Who removed a candidate (the `reason` of CandidateRemoved; CandidateRegistry's RemovalReason). */
export enum RemovalReason {
  /** Its operator, withdraw(). */
  Withdrawn = 0,
  /** The owner, revokeCandidate(). */
  RevokedByOwner = 1,
  /** M auditors' Revocation signatures, revokeCandidateBySig(). */
  RevokedByAuditors = 2,
  /** Anyone's equivocation evidence, submitEquivocation(). */
  Slashed = 3,
}

/**
 * How a field is typed on L1; `reason` is the uint8 RemovalReason, `count` a uint256 that the
 * model keeps as a JS number (a registration nonce: it moves by one per registration or removal,
 * so it stays far below 2^53; larger values are refused, not rounded).
 */
export type EventFieldType = "address" | "bytes32" | "uint64" | "uint256" | "reason" | "count";
export type EventFieldSpec = readonly [name: string, type: EventFieldType];

/** The Solidity type each field has in the registries' events (the L1 decoder checks it against the ABI). */
export const SOLIDITY_TYPES: Readonly<Record<EventFieldType, string>> = {
  address: "address",
  bytes32: "bytes32",
  uint64: "uint64",
  uint256: "uint256",
  reason: "uint8",
  count: "uint256",
};

/**
 * Every event kind with its fields, in the order the canonical encoding writes them (which is also
 * the order of the Solidity event's parameters). Fixed: a change here is a change of the block format.
 *
 * Parameter changes carry old and new values on L1; only the new value is modelled (the old one is
 * the state's). Events that change nothing an election reads (SlashShareCredited, RefundWithdrawn,
 * SlashFractionChanged, SignedVotesCancelled, the token's DelegateChanged and Transfer) are not read.
 */
export const EVENT_FIELDS = {
  // AuditorRegistry
  AuditorAdded: [["auditor", "address"]],
  AuditorRemoved: [["auditor", "address"]],
  ThresholdChanged: [["newThreshold", "uint256"]],
  // CandidateRegistry
  CandidateRegistered: [
    ["candidate", "address"],
    ["operator", "address"],
    ["deposit", "uint256"],
    ["qualificationHash", "bytes32"],
    ["credentialExpiry", "uint64"],
    // The candidate's registrationNonce while this registration stands; approvals name it.
    ["registration", "count"],
  ],
  CredentialsRenewed: [
    ["candidate", "address"],
    ["qualificationHash", "bytes32"],
    ["credentialExpiry", "uint64"],
  ],
  SigningKeyRotated: [
    ["candidate", "address"],
    ["oldKey", "address"],
    ["newKey", "address"],
  ],
  CandidateRemoved: [
    ["candidate", "address"],
    ["reason", "reason"],
    ["remover", "address"],
    // The owner's or auditors' reason, the evidence hash of a slashing, zero for a withdrawal.
    ["revocationReason", "bytes32"],
    ["refundableAt", "uint64"],
  ],
  CandidateSlashed: [
    ["candidate", "address"],
    ["evidenceHash", "bytes32"],
    ["amount", "uint256"],
    ["submitter", "address"],
  ],
  RefundCredited: [
    ["candidate", "address"],
    ["operator", "address"],
    ["amount", "uint256"],
  ],
  MinDepositChanged: [["newMinDeposit", "uint256"]],
  UnbondingPeriodChanged: [["newPeriod", "uint256"]],
  RepresentativeRuleChanged: [
    ["newMinRepresentatives", "uint256"],
    ["newMaxRepresentatives", "uint256"],
    ["newCandidatesPerSeat", "uint256"],
  ],
  // VoteRegistry
  VoteCast: [
    ["voter", "address"],
    ["candidate", "address"],
    ["registration", "count"],
  ],
  VoteRevoked: [
    ["voter", "address"],
    ["candidate", "address"],
    ["registration", "count"],
  ],
  MaxVotesPerVoterChanged: [["newMax", "uint256"]],
  // The voting token (any ERC-5805 IVotes): `delegate`'s voting power moved from previousVotes to newVotes.
  DelegateVotesChanged: [
    ["delegate", "address"],
    ["previousVotes", "uint256"],
    ["newVotes", "uint256"],
  ],
} as const satisfies Record<string, readonly EventFieldSpec[]>;

export type RegistryEventKind = keyof typeof EVENT_FIELDS;

type FieldValue<T extends EventFieldType> = T extends "address"
  ? Address
  : T extends "bytes32"
    ? Hex
    : T extends "reason"
      ? RemovalReason
      : T extends "count"
        ? number
        : bigint;

type Fields<K extends RegistryEventKind> = (typeof EVENT_FIELDS)[K][number];

/** One event kind's body, e.g. { kind: "VoteCast"; voter: Address; candidate: Address }. */
type BodyOf<K extends RegistryEventKind> = {
  readonly [P in "kind" | Fields<K>[0]]: P extends "kind"
    ? K
    : FieldValue<Extract<Fields<K>, readonly [P, unknown]>[1]>;
};

export type RegistryEventBody = { [K in RegistryEventKind]: BodyOf<K> }[RegistryEventKind];

/** One decoded L1 log of the three registries or the voting token, with its position on L1. */
export type RegistryEvent = RegistryEventBody & L1Position;

export function isRemovalReason(value: unknown): value is RemovalReason {
  return typeof value === "number" && RemovalReason[value] !== undefined;
}

export function isRegistryEventKind(name: string): name is RegistryEventKind {
  return Object.prototype.hasOwnProperty.call(EVENT_FIELDS, name);
}
