import type { Address, Hex, L1Position } from "../types/primitives";

/**
 * The L1 registry events, decoded: the only input from which a node learns the auditors,
 * candidates, votes and governed parameters. Every later stage (tally, election, block import)
 * consumes these, so their shape is defined once, here (value conventions: node/types/primitives.ts).
 */

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
