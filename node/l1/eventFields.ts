import type { GovernanceEventKind } from "../registry/events";

/** How a model field is represented: see the conventions in node/types/primitives.ts. */
export type FieldType = "address" | "bigint" | "number" | "hex";

/**
 * The fields of each governance event, as node/registry/events.ts defines them. The decoder
 * checks at start-up that every compiled registry ABI event of these names carries these
 * parameters with a matching Solidity type, so a contract change that breaks the model stops
 * the node before it reads a single log instead of producing wrong events.
 */
export const GOVERNANCE_FIELDS: { readonly [K in GovernanceEventKind]: Readonly<Record<string, FieldType>> } = {
  AuditorAdded: { auditor: "address" },
  AuditorRemoved: { auditor: "address" },
  ThresholdChanged: { threshold: "bigint" },
  CandidateRegistered: {
    candidate: "address",
    operator: "address",
    deposit: "bigint",
    qualificationHash: "hex",
    credentialExpiry: "bigint",
  },
  CredentialsRenewed: { candidate: "address", credentialExpiry: "bigint" },
  CandidateRemoved: { candidate: "address", reason: "number", refundableAt: "bigint" },
  DepositRefunded: { candidate: "address", operator: "address", amount: "bigint" },
  MinDepositChanged: { minDeposit: "bigint" },
  UnbondingPeriodChanged: { unbondingPeriod: "bigint" },
  RepresentativeCountChanged: { representativeCount: "bigint" },
  VoteCast: { voter: "address", candidate: "address" },
  VoteRevoked: { voter: "address", candidate: "address" },
  MaxVotesPerVoterChanged: { maxVotesPerVoter: "bigint" },
};

export function isGovernanceKind(name: string): name is GovernanceEventKind {
  return Object.prototype.hasOwnProperty.call(GOVERNANCE_FIELDS, name);
}
