import { expect } from "chai";
import {
  applyEvent,
  applyEvents,
  CandidateStatus,
  emptyRegistryState,
  RegistryError,
  RegistryErrorCode,
  snapshotRegistryState,
  stateDigest,
  votesFor,
  type RegistryState,
} from "../../node/registry";
import { type Address } from "../../node/types/primitives";
import { RemovalReason, type RegistryEventBody } from "../../node/registry/events";
import {
  addr,
  AUDITOR,
  bytes32,
  candidate,
  cast,
  onePowerEach,
  operator,
  positioned,
  power,
  refunded,
  registered,
  removed,
  revoked,
  rule,
  voter,
  stateOf,
} from "./fixtures";

const slashed = (i: number, amount = 5n): RegistryEventBody => ({
  kind: "CandidateSlashed",
  candidate: candidate(i),
  evidenceHash: bytes32(0xe0 + i),
  amount,
  submitter: addr(0x55),
});

const rotated = (i: number, oldKey: Address, newKey: Address): RegistryEventBody => ({
  kind: "SigningKeyRotated",
  candidate: candidate(i),
  oldKey,
  newKey,
});

const KEY = 0x6e;

/** Asserts `e` is rejected with `code` and leaves the state exactly as it was. */
function expectRejected(state: RegistryState, e: RegistryEventBody, code: RegistryErrorCode): RegistryError {
  const before = stateDigest(state);
  let caught: unknown;
  try {
    applyEvent(state, e);
  } catch (err) {
    caught = err;
  }
  expect(caught, `${e.kind} should be rejected`).to.be.instanceOf(RegistryError);
  expect((caught as RegistryError).code).to.equal(code);
  expect(stateDigest(state)).to.equal(before);
  return caught as RegistryError;
}

describe("registry reducer", () => {
  describe("auditors and parameters", () => {
    it("adds and removes auditors and records the threshold", () => {
      const state = stateOf([
        { kind: "AuditorAdded", auditor: addr(AUDITOR, 1) },
        { kind: "AuditorAdded", auditor: addr(AUDITOR, 2) },
        { kind: "ThresholdChanged", newThreshold: 2n },
        { kind: "AuditorRemoved", auditor: addr(AUDITOR, 1) },
      ]);
      expect([...state.auditors]).to.deep.equal([addr(AUDITOR, 2)]);
      expect(state.parameters.threshold).to.equal(2n);
    });

    it("rejects adding an auditor twice and removing a non-auditor", () => {
      const state = stateOf([{ kind: "AuditorAdded", auditor: addr(AUDITOR, 1) }]);
      const e = expectRejected(
        state,
        { kind: "AuditorAdded", auditor: addr(AUDITOR, 1) },
        RegistryErrorCode.AUDITOR_ALREADY_ADDED,
      );
      expect(e.type).to.deep.equal({ code: RegistryErrorCode.AUDITOR_ALREADY_ADDED, auditor: addr(AUDITOR, 1) });
      expectRejected(state, { kind: "AuditorRemoved", auditor: addr(AUDITOR, 2) }, RegistryErrorCode.AUDITOR_NOT_FOUND);
    });

    it("records every governed parameter, defaulting maxVotesPerVoter to the contract's 30", () => {
      expect(emptyRegistryState().parameters.maxVotesPerVoter).to.equal(30n);
      const state = stateOf([
        { kind: "MinDepositChanged", newMinDeposit: 7n },
        { kind: "UnbondingPeriodChanged", newPeriod: 3600n },
        rule(4n, 21n, 3n),
        { kind: "MaxVotesPerVoterChanged", newMax: 5n },
      ]);
      expect(state.parameters).to.deep.equal({
        threshold: 0n,
        minDeposit: 7n,
        unbondingPeriod: 3600n,
        minRepresentatives: 4n,
        maxRepresentatives: 21n,
        candidatesPerSeat: 3n,
        maxVotesPerVoter: 5n,
      });
    });
  });

  describe("candidates", () => {
    it("registers a candidate with its operator, deposit and credential expiry", () => {
      const state = stateOf([registered(1, { credentialExpiry: 1234n, deposit: 150n })]);
      expect(state.candidates.get(candidate(1))).to.deep.equal({
        status: CandidateStatus.Active,
        operator: operator(1),
        deposit: 150n,
        qualificationHash: (registered(1) as { qualificationHash: string }).qualificationHash,
        credentialExpiry: 1234n,
        signingKey: candidate(1),
        registration: 1,
        removalReason: null,
        refundableAt: 0n,
        refunded: false,
        slashed: false,
      });
      expect(state.keyOwners.get(candidate(1))).to.equal(candidate(1));
    });

    it("rejects a second registration of an active candidate", () => {
      const state = stateOf([registered(1)]);
      expectRejected(state, registered(1), RegistryErrorCode.CANDIDATE_ALREADY_REGISTERED);
    });

    it("rejects a deposit below minDeposit", () => {
      const state = stateOf([{ kind: "MinDepositChanged", newMinDeposit: 101n }]);
      const e = expectRejected(state, registered(1, { deposit: 100n }), RegistryErrorCode.DEPOSIT_BELOW_MINIMUM);
      expect(e.type).to.deep.include({ deposit: 100n, minDeposit: 101n });
    });

    it("renews the credential expiry and qualification hash of an active candidate only", () => {
      const renewal = (i: number, credentialExpiry: bigint): RegistryEventBody => ({
        kind: "CredentialsRenewed",
        candidate: candidate(i),
        qualificationHash: bytes32(0x99),
        credentialExpiry,
      });
      const state = stateOf([registered(1), renewal(1, 9n)]);
      expect(state.candidates.get(candidate(1))).to.deep.include({
        credentialExpiry: 9n,
        qualificationHash: bytes32(0x99),
      });
      expectRejected(state, renewal(2, 9n), RegistryErrorCode.CANDIDATE_NOT_ACTIVE);
      applyEvent(state, removed(1));
      expectRejected(state, renewal(1, 10n), RegistryErrorCode.CANDIDATE_NOT_ACTIVE);
    });

    it("removes an active candidate, recording the reason and when the deposit is refundable", () => {
      const state = stateOf([registered(1), removed(1, RemovalReason.RevokedByAuditors, 777n)]);
      expect(state.candidates.get(candidate(1))).to.deep.include({
        status: CandidateStatus.Removed,
        removalReason: RemovalReason.RevokedByAuditors,
        refundableAt: 777n,
        refunded: false,
      });
      expectRejected(state, removed(1), RegistryErrorCode.CANDIDATE_NOT_ACTIVE);
      expectRejected(state, removed(2), RegistryErrorCode.CANDIDATE_NOT_ACTIVE);
    });

    it("refunds the full deposit to the operator once", () => {
      const state = stateOf([registered(1), removed(1), refunded(1)]);
      expect(state.candidates.get(candidate(1))).to.deep.include({ status: CandidateStatus.Refunded, refunded: true });
      expectRejected(state, refunded(1), RegistryErrorCode.CANDIDATE_NOT_REMOVED);
    });

    it("rejects a refund of an active candidate, to another operator or of another amount", () => {
      const state = stateOf([registered(1)]);
      expectRejected(state, refunded(1), RegistryErrorCode.CANDIDATE_NOT_REMOVED);
      applyEvent(state, removed(1));
      expectRejected(state, refunded(1, 100n, operator(2)), RegistryErrorCode.REFUND_MISMATCH);
      const e = expectRejected(state, refunded(1, 99n), RegistryErrorCode.REFUND_MISMATCH);
      expect(e.type).to.deep.include({ expectedAmount: 100n, amount: 99n });
    });

    it("rejects a re-registration before the deposit is refunded", () => {
      const state = stateOf([registered(1), removed(1)]);
      expectRejected(state, registered(1), RegistryErrorCode.DEPOSIT_NOT_REFUNDED);
    });

    it("re-registers after a refund with a new operator, deposit and expiry", () => {
      const state = stateOf([
        registered(1),
        removed(1),
        refunded(1),
        registered(1, { operator: operator(9), deposit: 300n, credentialExpiry: 5000n, registration: 3 }),
      ]);
      expect(state.candidates.get(candidate(1))).to.deep.include({
        status: CandidateStatus.Active,
        operator: operator(9),
        deposit: 300n,
        credentialExpiry: 5000n,
        registration: 3,
        removalReason: null,
        refundableAt: 0n,
        refunded: false,
      });
    });

    it("rejects a registration whose registration nonce does not move forward (a replayed log)", () => {
      const state = stateOf([registered(1), removed(1), refunded(1)]);
      const e = expectRejected(state, registered(1), RegistryErrorCode.REGISTRATION_MISMATCH);
      expect(e.type).to.deep.include({ expected: 2, registration: 1 });
    });
  });

  describe("slashing", () => {
    it("takes the slashed amount from the deposit of a removed candidate, and refunds the rest", () => {
      const state = stateOf([registered(1), removed(1, RemovalReason.Slashed), slashed(1, 5n)]);
      expect(state.candidates.get(candidate(1))).to.deep.include({ deposit: 95n, slashed: true });
      expectRejected(state, refunded(1, 100n), RegistryErrorCode.REFUND_MISMATCH);
      applyEvent(state, refunded(1, 95n));
      expect(state.candidates.get(candidate(1))).to.deep.include({ status: CandidateStatus.Refunded, slashed: true });
    });

    it("accepts evidence during unbonding, once, and never lets the slashed candidate register again", () => {
      const state = stateOf([registered(1), removed(1), slashed(1)]);
      expectRejected(state, slashed(1), RegistryErrorCode.CANDIDATE_NOT_SLASHABLE);
      applyEvent(state, refunded(1, 95n));
      expectRejected(state, slashed(1), RegistryErrorCode.CANDIDATE_NOT_SLASHABLE);
      expectRejected(state, registered(1, { registration: 3 }), RegistryErrorCode.CANDIDATE_SLASHED);
    });

    it("rejects slashing a stranger, a refunded candidate, or more than the deposit", () => {
      const state = stateOf([registered(1), registered(2), removed(2), refunded(2)]);
      expectRejected(state, slashed(3), RegistryErrorCode.CANDIDATE_NOT_SLASHABLE);
      expectRejected(state, slashed(2), RegistryErrorCode.CANDIDATE_NOT_SLASHABLE);
      expectRejected(state, slashed(1, 101n), RegistryErrorCode.SLASH_EXCEEDS_DEPOSIT);
    });
  });

  describe("signing keys", () => {
    it("rotates the key of an active candidate and keeps it across a re-registration", () => {
      const state = stateOf([registered(1), rotated(1, candidate(1), addr(KEY, 1))]);
      expect(state.candidates.get(candidate(1))?.signingKey).to.equal(addr(KEY, 1));
      applyEvents(state, [removed(1), refunded(1), registered(1, { registration: 3 })]);
      expect(state.candidates.get(candidate(1))?.signingKey).to.equal(addr(KEY, 1));
      expect(state.keyOwners.get(addr(KEY, 1))).to.equal(candidate(1));
    });

    it("rejects a rotation from a key that is not the current one, or to a key bound to another candidate", () => {
      const state = stateOf([registered(1), registered(2), rotated(2, candidate(2), addr(KEY, 2))]);
      const e = expectRejected(state, rotated(1, addr(KEY, 9), addr(KEY, 1)), RegistryErrorCode.SIGNING_KEY_MISMATCH);
      expect(e.type).to.deep.include({ expected: candidate(1) });
      expectRejected(state, rotated(1, candidate(1), addr(KEY, 2)), RegistryErrorCode.KEY_TAKEN);
      expectRejected(state, rotated(1, candidate(1), candidate(2)), RegistryErrorCode.KEY_TAKEN);
      applyEvent(state, removed(1));
      expectRejected(state, rotated(1, candidate(1), addr(KEY, 3)), RegistryErrorCode.CANDIDATE_NOT_ACTIVE);
    });

    it("rejects registering a candidate whose address is another candidate's signing key", () => {
      const state = stateOf([registered(2), rotated(2, candidate(2), candidate(1))]);
      expectRejected(state, registered(1), RegistryErrorCode.KEY_TAKEN);
    });
  });

  describe("votes", () => {
    it("weighs each approval with the voter's whole power", () => {
      const state = stateOf([registered(1), registered(2), power(1, 0n, 7n), power(2, 0n, 5n)]);
      applyEvents(state, [cast(1, 1), cast(2, 1), cast(1, 2)]);
      expect(votesFor(state, candidate(1))).to.equal(12n);
      expect(votesFor(state, candidate(2))).to.equal(7n);
      expect([...(state.approvals.get(voter(1)) ?? new Map()).keys()]).to.have.members([candidate(1), candidate(2)]);
    });

    it("moves every live approval of an account by a power change, and nothing else", () => {
      const state = stateOf([registered(1), registered(2), registered(3), power(1, 0n, 7n), cast(1, 1), cast(1, 2)]);
      applyEvent(state, power(1, 7n, 10n));
      expect([1, 2, 3].map((c) => votesFor(state, candidate(c)))).to.deep.equal([10n, 10n, 0n]);
      applyEvent(state, power(1, 10n, 0n));
      expect(state.tally.size).to.equal(0);
      expect(state.power.size).to.equal(0);
    });

    it("counts power recorded before the vote, and an approval of a voter without power as zero", () => {
      const state = stateOf([power(1, 0n, 3n), registered(1), cast(1, 1), cast(2, 1)]);
      expect(votesFor(state, candidate(1))).to.equal(3n);
      applyEvent(state, power(2, 0n, 4n));
      expect(votesFor(state, candidate(1))).to.equal(7n);
    });

    it("rejects a power change whose previous votes are not the recorded power (a gap in the token's history)", () => {
      const state = stateOf([power(1, 0n, 3n)]);
      const e = expectRejected(state, power(1, 2n, 5n), RegistryErrorCode.POWER_MISMATCH);
      expect(e.type).to.deep.include({ expected: 3n, previousVotes: 2n });
    });

    it("rejects a duplicate approval, a vote for a non-candidate or removed candidate, and a stale registration", () => {
      const state = stateOf([registered(1), registered(2), cast(1, 1), removed(2)]);
      expectRejected(state, cast(1, 1), RegistryErrorCode.VOTE_ALREADY_CAST);
      expectRejected(state, cast(1, 3), RegistryErrorCode.CANDIDATE_NOT_ACTIVE);
      const e = expectRejected(state, cast(1, 2), RegistryErrorCode.CANDIDATE_NOT_ACTIVE);
      expect(e.type).to.deep.include({ status: CandidateStatus.Removed });
      expectRejected(state, cast(2, 1, 3), RegistryErrorCode.REGISTRATION_MISMATCH);
    });

    it("revokes an approval, deleting emptied ballots and zero tallies", () => {
      const state = stateOf([registered(1), power(1, 0n, 2n), cast(1, 1), revoked(1, 1)]);
      expect(votesFor(state, candidate(1))).to.equal(0n);
      expect(state.approvals.size).to.equal(0);
      expect(state.tally.size).to.equal(0);
      expect(stateDigest(state)).to.equal(stateDigest(stateOf([registered(1), power(1, 0n, 2n)])));
    });

    it("rejects revoking an approval the voter does not hold, or naming another registration", () => {
      const state = stateOf([registered(1), registered(2), cast(1, 1)]);
      expectRejected(state, revoked(1, 2), RegistryErrorCode.VOTE_NOT_FOUND);
      expectRejected(state, revoked(2, 1), RegistryErrorCode.VOTE_NOT_FOUND);
      expectRejected(state, revoked(1, 1, 3), RegistryErrorCode.VOTE_NOT_FOUND);
    });

    it("kills the approvals of a removed candidate: a re-registration starts from zero", () => {
      const state = stateOf([...onePowerEach(4), registered(1), cast(1, 1), cast(2, 1), cast(3, 1), removed(1)]);
      expect(votesFor(state, candidate(1))).to.equal(0n);
      applyEvents(state, [revoked(2, 1), refunded(1), registered(1, { operator: operator(5), registration: 3 })]);
      expect(votesFor(state, candidate(1))).to.equal(0n);
      applyEvent(state, power(1, 1n, 9n));
      expect(votesFor(state, candidate(1)), "a dead approval does not move with power").to.equal(0n);
      expect(state.approvals.get(voter(1))?.get(candidate(1))).to.equal(1);
      expect(state.approvals.has(voter(2))).to.equal(false);
    });

    it("after a re-registration, a new vote replaces the dead approval (VoteRevoked then VoteCast)", () => {
      const state = stateOf([power(1, 0n, 6n), registered(1), cast(1, 1), removed(1), refunded(1)]);
      applyEvent(state, registered(1, { registration: 3 }));
      expectRejected(state, cast(1, 1, 3), RegistryErrorCode.VOTE_ALREADY_CAST);
      applyEvents(state, [revoked(1, 1, 1), cast(1, 1, 3)]);
      expect(votesFor(state, candidate(1))).to.equal(6n);
      expect(state.approvals.get(voter(1))?.get(candidate(1))).to.equal(3);
    });

    it("sums powers up to the largest uint256 exactly, and refuses a power outside uint256", () => {
      const max = (1n << 256n) - 1n;
      const state = stateOf([registered(1), power(1, 0n, max), power(2, 0n, max), cast(1, 1), cast(2, 1)]);
      expect(votesFor(state, candidate(1))).to.equal(2n * max);
      applyEvent(state, power(2, max, 1n));
      expect(votesFor(state, candidate(1))).to.equal(max + 1n);
      const e = expectRejected(state, power(1, max, max + 1n), RegistryErrorCode.INVALID_FIELD);
      expect(e.type).to.deep.include({ field: "newVotes" });
      expectRejected(state, power(3, 0n, -1n), RegistryErrorCode.INVALID_FIELD);
    });

    it("does not enforce maxVotesPerVoter (the contract's check, not the stream's)", () => {
      const state = stateOf([{ kind: "MaxVotesPerVoterChanged", newMax: 1n }, registered(1), registered(2)]);
      applyEvents(state, [cast(1, 1), cast(1, 2)]);
      expect(state.approvals.get(voter(1))?.size).to.equal(2);
    });
  });

  describe("batches", () => {
    it("applies a valid batch like the same events one by one", () => {
      const events = [
        registered(1),
        registered(2),
        power(1, 0n, 4n),
        cast(1, 1),
        cast(1, 2),
        power(1, 4n, 9n),
        revoked(1, 1),
        removed(2),
        slashed(2),
        refunded(2, 95n),
      ];
      const single = emptyRegistryState();
      for (const e of events) applyEvent(single, e);
      expect(snapshotRegistryState(stateOf(events))).to.deep.equal(snapshotRegistryState(single));
    });

    it("rolls a failing batch back entirely and names the rejected event", () => {
      const state = stateOf([
        registered(1),
        power(1, 0n, 2n),
        cast(1, 1),
        { kind: "AuditorAdded", auditor: addr(AUDITOR, 1) },
      ]);
      const before = stateDigest(state);
      const batch = [
        registered(2),
        cast(2, 1),
        power(1, 2n, 8n),
        revoked(1, 1),
        rotated(2, candidate(2), addr(KEY, 2)),
        removed(1),
        slashed(1),
        refunded(1, 95n),
        registered(3, { operator: operator(8) }),
        { kind: "CredentialsRenewed", candidate: candidate(2), qualificationHash: bytes32(5), credentialExpiry: 5n },
        { kind: "AuditorRemoved", auditor: addr(AUDITOR, 1) },
        rule(1n, 3n, 2n),
        { kind: "AuditorAdded", auditor: addr(AUDITOR, 2) },
        positioned(revoked(9, 9), 4),
      ] as RegistryEventBody[];
      let caught: unknown;
      try {
        applyEvents(state, batch);
      } catch (err) {
        caught = err;
      }
      expect(caught).to.be.instanceOf(RegistryError);
      const error = caught as RegistryError;
      expect(error.type).to.deep.equal({
        code: RegistryErrorCode.BATCH_EVENT_REJECTED,
        index: 13,
        kind: "VoteRevoked",
        blockNumber: 14,
        logIndex: 4,
      });
      expect((error.cause as RegistryError).code).to.equal(RegistryErrorCode.VOTE_NOT_FOUND);
      expect(error.message).to.contain("GOVERNANCE_VOTE_NOT_FOUND");
      expect(stateDigest(state)).to.equal(before);
    });

    it("rejects addresses and hashes that are not lowercase hex where they first enter the state", () => {
      const state = stateOf([registered(1)]);
      const checksummed = "0xAbCdEf000000000000000000000000000000C0De" as Address;
      const cases: RegistryEventBody[] = [
        { ...registered(2), candidate: checksummed } as RegistryEventBody,
        { ...registered(2), operator: "0x1234" } as RegistryEventBody,
        { ...registered(2), qualificationHash: "0xAB" } as RegistryEventBody,
        { kind: "VoteCast", voter: checksummed, candidate: candidate(1), registration: 1 },
        { kind: "DelegateVotesChanged", delegate: checksummed, previousVotes: 0n, newVotes: 1n },
        rotated(1, candidate(1), checksummed),
        { kind: "AuditorAdded", auditor: checksummed },
      ];
      for (const e of cases) {
        const error = expectRejected(state, e, RegistryErrorCode.INVALID_FIELD);
        expect(error.message).to.match(/field=(candidate|operator|qualificationHash|voter|delegate|newKey|auditor)/);
      }
    });

    it("rejects an unknown event kind", () => {
      const state = emptyRegistryState();
      expectRejected(state, { kind: "Bogus" } as unknown as RegistryEventBody, RegistryErrorCode.UNKNOWN_EVENT_KIND);
    });
  });
});
