import { applyEvents, emptyGovernanceState, type GovernanceState } from "../../node/registry";
import type { Address, Hex } from "../../node/types/primitives";
import type { GovernanceEvent, GovernanceEventBody } from "../../node/registry/events";

/** Test addresses: a readable one-byte tag and an index, lowercase as the event model requires. */
export function addr(tag: number, index = 0): Address {
  return `0x${tag.toString(16).padStart(2, "0")}${index.toString(16).padStart(38, "0")}` as Address;
}

export function bytes32(n: number | bigint): Hex {
  return `0x${n.toString(16).padStart(64, "0")}` as Hex;
}

export const CANDIDATE = 0xca;
export const OPERATOR = 0x0e;
export const VOTER = 0x70;
export const AUDITOR = 0xa0;

export const candidate = (i: number): Address => addr(CANDIDATE, i);
export const operator = (i: number): Address => addr(OPERATOR, i);
export const voter = (i: number): Address => addr(VOTER, i);

export function registered(
  i: number,
  options: { credentialExpiry?: bigint; deposit?: bigint; operator?: Address } = {},
): GovernanceEventBody {
  return {
    kind: "CandidateRegistered",
    candidate: candidate(i),
    operator: options.operator ?? operator(i),
    deposit: options.deposit ?? 100n,
    qualificationHash: bytes32(i + 1),
    credentialExpiry: options.credentialExpiry ?? 1_000n,
  };
}

export const cast = (v: number, c: number): GovernanceEventBody => ({
  kind: "VoteCast",
  voter: voter(v),
  candidate: candidate(c),
});

export const revoked = (v: number, c: number): GovernanceEventBody => ({
  kind: "VoteRevoked",
  voter: voter(v),
  candidate: candidate(c),
});

/** Gives a body an L1 position, as the follower delivers it. */
export function positioned(body: GovernanceEventBody, n: number): GovernanceEvent {
  return {
    ...body,
    blockNumber: 10 + n,
    blockHash: bytes32(1000 + n),
    transactionHash: bytes32(2000 + n),
    logIndex: n,
  };
}

/** The state after applying `events` to an empty one. */
export function stateOf(events: GovernanceEventBody[]): GovernanceState {
  const state = emptyGovernanceState();
  applyEvents(state, events);
  return state;
}
