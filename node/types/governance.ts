/**
 * The L1 governance events, decoded: the only input from which a node learns the auditors,
 * candidates, votes and governed parameters. Every later stage (tally, election, block import)
 * consumes these, so their shape is defined once, here.
 *
 * Conventions: addresses are lowercase 0x-hex (so string order equals numeric order, which the
 * election's tie-break relies on); uint256/uint64 contract values are bigint; L1 block numbers and
 * log indexes are number.
 */

/** A 0x-prefixed lowercase 20-byte address. */
export type Address = `0x${string}`;
/** A 0x-prefixed lowercase hex string (hashes, signatures, raw bytes). */
export type Hex = `0x${string}`;

/** Where an event sits on L1: enough to dedupe it and to detect that a reorg removed it. */
export interface L1Position {
  readonly blockNumber: number;
  readonly blockHash: Hex;
  readonly transactionHash: Hex;
  readonly logIndex: number;
}

/** Why CandidateRegistry removed a candidate (the `reason` of CandidateRemoved). */
export enum RemovalReason {
  Withdrawn = 0,
  Revoked = 1,
}

export type GovernanceEventBody =
  // AuditorRegistry
  | { readonly kind: "AuditorAdded"; readonly auditor: Address }
  | { readonly kind: "AuditorRemoved"; readonly auditor: Address }
  | { readonly kind: "ThresholdChanged"; readonly threshold: bigint }
  // CandidateRegistry
  | {
      readonly kind: "CandidateRegistered";
      readonly candidate: Address;
      readonly operator: Address;
      readonly deposit: bigint;
      readonly qualificationHash: Hex;
      readonly credentialExpiry: bigint;
    }
  | { readonly kind: "CredentialsRenewed"; readonly candidate: Address; readonly credentialExpiry: bigint }
  | {
      readonly kind: "CandidateRemoved";
      readonly candidate: Address;
      readonly reason: RemovalReason;
      readonly refundableAt: bigint;
    }
  | {
      readonly kind: "DepositRefunded";
      readonly candidate: Address;
      readonly operator: Address;
      readonly amount: bigint;
    }
  | { readonly kind: "MinDepositChanged"; readonly minDeposit: bigint }
  | { readonly kind: "UnbondingPeriodChanged"; readonly unbondingPeriod: bigint }
  | { readonly kind: "RepresentativeCountChanged"; readonly representativeCount: bigint }
  // VoteRegistry
  | { readonly kind: "VoteCast"; readonly voter: Address; readonly candidate: Address }
  | { readonly kind: "VoteRevoked"; readonly voter: Address; readonly candidate: Address }
  | { readonly kind: "MaxVotesPerVoterChanged"; readonly maxVotesPerVoter: bigint };

export type GovernanceEventKind = GovernanceEventBody["kind"];

/** One decoded L1 log of the three registries, with its position on L1. */
export type GovernanceEvent = GovernanceEventBody & L1Position;
