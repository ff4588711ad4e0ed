import { applyEvents, emptyRegistryState, type RegistryState } from "../../node/registry";
import type { Address, Hex } from "../../node/types/primitives";
import { RemovalReason, type RegistryEvent, type RegistryEventBody } from "../../node/registry/events";

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
  options: { credentialExpiry?: bigint; deposit?: bigint; operator?: Address; registration?: number } = {},
): RegistryEventBody {
  return {
    kind: "CandidateRegistered",
    candidate: candidate(i),
    operator: options.operator ?? operator(i),
    deposit: options.deposit ?? 100n,
    qualificationHash: bytes32(i + 1),
    credentialExpiry: options.credentialExpiry ?? 1_000n,
    registration: options.registration ?? 1,
  };
}

/** Voter v approves registration `registration` (default 1, a first registration) of candidate c. */
export const cast = (v: number, c: number, registration = 1): RegistryEventBody => ({
  kind: "VoteCast",
  voter: voter(v),
  candidate: candidate(c),
  registration,
});

export const revoked = (v: number, c: number, registration = 1): RegistryEventBody => ({
  kind: "VoteRevoked",
  voter: voter(v),
  candidate: candidate(c),
  registration,
});

/** The voting token moved voter v's power from `previousVotes` to `newVotes`. */
export const power = (v: number, previousVotes: bigint, newVotes: bigint): RegistryEventBody => ({
  kind: "DelegateVotesChanged",
  delegate: voter(v),
  previousVotes,
  newVotes,
});

/** Gives each voter 0..n-1 one token unit of power, so that weighted votes count heads. */
export const onePowerEach = (n: number): RegistryEventBody[] => Array.from({ length: n }, (_, v) => power(v, 0n, 1n));

export const removed = (i: number, reason = RemovalReason.Withdrawn, refundableAt = 500n): RegistryEventBody => ({
  kind: "CandidateRemoved",
  candidate: candidate(i),
  reason,
  remover: operator(i),
  revocationReason: bytes32(0),
  refundableAt,
});

export const refunded = (i: number, amount = 100n, by = operator(i)): RegistryEventBody => ({
  kind: "RefundCredited",
  candidate: candidate(i),
  operator: by,
  amount,
});

export const rule = (min: bigint, max: bigint, perSeat: bigint): RegistryEventBody => ({
  kind: "RepresentativeRuleChanged",
  newMinRepresentatives: min,
  newMaxRepresentatives: max,
  newCandidatesPerSeat: perSeat,
});

/** Gives a body an L1 position, as the follower delivers it. */
export function positioned(body: RegistryEventBody, n: number): RegistryEvent {
  return {
    ...body,
    blockNumber: 10 + n,
    blockHash: bytes32(1000 + n),
    transactionHash: bytes32(2000 + n),
    logIndex: n,
  };
}

/** The state after applying `events` to an empty one. */
export function stateOf(events: RegistryEventBody[]): RegistryState {
  const state = emptyRegistryState();
  applyEvents(state, events);
  return state;
}
