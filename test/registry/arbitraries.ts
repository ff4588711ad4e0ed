import fc from "fast-check";
import { type Address, type Hex } from "../../node/types/primitives";
import { RemovalReason, type RegistryEvent } from "../../node/registry/events";

const MAX_UINT64 = (1n << 64n) - 1n;
const MAX_UINT256 = (1n << 256n) - 1n;

const hexOf = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
export const arbAddress: fc.Arbitrary<Address> = fc
  .uint8Array({ minLength: 20, maxLength: 20 })
  .map((b) => `0x${hexOf(b)}` as Address);
export const arbBytes32: fc.Arbitrary<Hex> = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((b) => `0x${hexOf(b)}` as Hex);
const arbUint64 = fc.oneof(fc.constantFrom(0n, MAX_UINT64), fc.bigInt({ min: 0n, max: MAX_UINT64 }));
const arbCount = fc.oneof(fc.constantFrom(0, Number.MAX_SAFE_INTEGER), fc.nat());
const arbUint256 = fc.oneof(fc.constantFrom(0n, MAX_UINT256), fc.bigInt({ min: 0n, max: MAX_UINT256 }));

const arbPosition = fc.record({
  blockNumber: fc.oneof(fc.constantFrom(0, Number.MAX_SAFE_INTEGER), fc.nat()),
  blockHash: arbBytes32,
  transactionHash: arbBytes32,
  logIndex: fc.oneof(fc.constantFrom(0, 2 ** 32 - 1), fc.nat({ max: 2 ** 32 - 1 })),
});

const arbBody = fc.oneof(
  fc.record({ kind: fc.constant("AuditorAdded" as const), auditor: arbAddress }),
  fc.record({ kind: fc.constant("AuditorRemoved" as const), auditor: arbAddress }),
  fc.record({ kind: fc.constant("ThresholdChanged" as const), newThreshold: arbUint256 }),
  fc.record({
    kind: fc.constant("CandidateRegistered" as const),
    candidate: arbAddress,
    operator: arbAddress,
    deposit: arbUint256,
    qualificationHash: arbBytes32,
    credentialExpiry: arbUint64,
    registration: arbCount,
  }),
  fc.record({
    kind: fc.constant("CredentialsRenewed" as const),
    candidate: arbAddress,
    qualificationHash: arbBytes32,
    credentialExpiry: arbUint64,
  }),
  fc.record({
    kind: fc.constant("SigningKeyRotated" as const),
    candidate: arbAddress,
    oldKey: arbAddress,
    newKey: arbAddress,
  }),
  fc.record({
    kind: fc.constant("CandidateRemoved" as const),
    candidate: arbAddress,
    reason: fc.constantFrom(
      RemovalReason.Withdrawn,
      RemovalReason.RevokedByOwner,
      RemovalReason.RevokedByAuditors,
      RemovalReason.Slashed,
    ),
    remover: arbAddress,
    revocationReason: arbBytes32,
    refundableAt: arbUint64,
  }),
  fc.record({
    kind: fc.constant("CandidateSlashed" as const),
    candidate: arbAddress,
    evidenceHash: arbBytes32,
    amount: arbUint256,
    submitter: arbAddress,
  }),
  fc.record({
    kind: fc.constant("RefundCredited" as const),
    candidate: arbAddress,
    operator: arbAddress,
    amount: arbUint256,
  }),
  fc.record({ kind: fc.constant("MinDepositChanged" as const), newMinDeposit: arbUint256 }),
  fc.record({ kind: fc.constant("UnbondingPeriodChanged" as const), newPeriod: arbUint256 }),
  fc.record({
    kind: fc.constant("RepresentativeRuleChanged" as const),
    newMinRepresentatives: arbUint256,
    newMaxRepresentatives: arbUint256,
    newCandidatesPerSeat: arbUint256,
  }),
  fc.record({
    kind: fc.constant("VoteCast" as const),
    voter: arbAddress,
    candidate: arbAddress,
    registration: arbCount,
  }),
  fc.record({
    kind: fc.constant("VoteRevoked" as const),
    voter: arbAddress,
    candidate: arbAddress,
    registration: arbCount,
  }),
  fc.record({ kind: fc.constant("MaxVotesPerVoterChanged" as const), newMax: arbUint256 }),
  fc.record({
    kind: fc.constant("DelegateVotesChanged" as const),
    delegate: arbAddress,
    previousVotes: arbUint256,
    newVotes: arbUint256,
  }),
);

/** Any well-formed RegistryEvent, every kind, values up to the bounds of their types. */
export const arbRegistryEvent: fc.Arbitrary<RegistryEvent> = fc
  .tuple(arbBody, arbPosition)
  .map(([body, position]) => ({ ...body, ...position }) as RegistryEvent);
