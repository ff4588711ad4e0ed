import type { Address, Hex, L1Position } from "../types/primitives";

/**
 * The L1 events of the registries and the voting token, decoded: the only input from which a node
 * learns the auditors, candidates, votes, voting power and governed parameters. Every later stage
 * (tally, election, block import) consumes these, so their shape is defined once, here (value
 * conventions: node/types/primitives.ts).
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
 * The events a node models. Parameter changes carry old and new values on L1; only the new value
 * is modelled (the old one is the state's). Events that change nothing an election reads
 * (SlashShareCredited, RefundWithdrawn, SlashFractionChanged, SignedVotesCancelled, the token's
 * DelegateChanged and Transfer) are not read at all.
 */
export type GovernanceEventBody =
  // AuditorRegistry
  | { readonly kind: "AuditorAdded"; readonly auditor: Address }
  | { readonly kind: "AuditorRemoved"; readonly auditor: Address }
  | { readonly kind: "ThresholdChanged"; readonly newThreshold: bigint }
  // CandidateRegistry
  | {
      readonly kind: "CandidateRegistered";
      readonly candidate: Address;
      readonly operator: Address;
      readonly deposit: bigint;
      readonly qualificationHash: Hex;
      readonly credentialExpiry: bigint;
      /** The candidate's registrationNonce while this registration stands; approvals name it. */
      readonly registration: number;
    }
  | {
      readonly kind: "CredentialsRenewed";
      readonly candidate: Address;
      readonly qualificationHash: Hex;
      readonly credentialExpiry: bigint;
    }
  | {
      readonly kind: "SigningKeyRotated";
      readonly candidate: Address;
      readonly oldKey: Address;
      readonly newKey: Address;
    }
  | {
      readonly kind: "CandidateRemoved";
      readonly candidate: Address;
      readonly reason: RemovalReason;
      readonly remover: Address;
      /** The owner's or auditors' reason, the evidence hash of a slashing, zero for a withdrawal. */
      readonly revocationReason: Hex;
      readonly refundableAt: bigint;
    }
  | {
      readonly kind: "CandidateSlashed";
      readonly candidate: Address;
      readonly evidenceHash: Hex;
      readonly amount: bigint;
      readonly submitter: Address;
    }
  | {
      readonly kind: "RefundCredited";
      readonly candidate: Address;
      readonly operator: Address;
      readonly amount: bigint;
    }
  | { readonly kind: "MinDepositChanged"; readonly newMinDeposit: bigint }
  | { readonly kind: "UnbondingPeriodChanged"; readonly newPeriod: bigint }
  | {
      readonly kind: "RepresentativeRuleChanged";
      readonly newMinRepresentatives: bigint;
      readonly newMaxRepresentatives: bigint;
      readonly newCandidatesPerSeat: bigint;
    }
  // VoteRegistry
  | { readonly kind: "VoteCast"; readonly voter: Address; readonly candidate: Address; readonly registration: number }
  | {
      readonly kind: "VoteRevoked";
      readonly voter: Address;
      readonly candidate: Address;
      readonly registration: number;
    }
  | { readonly kind: "MaxVotesPerVoterChanged"; readonly newMax: bigint }
  // The voting token (ERC-5805): an account's voting power moved from previousVotes to newVotes.
  | {
      readonly kind: "DelegateVotesChanged";
      readonly delegate: Address;
      readonly previousVotes: bigint;
      readonly newVotes: bigint;
    };

export type GovernanceEventKind = GovernanceEventBody["kind"];

/** One decoded L1 log of the three registries or the voting token, with its position on L1. */
export type GovernanceEvent = GovernanceEventBody & L1Position;
