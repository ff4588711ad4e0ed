import { expect } from "chai";
import {
  applyEvent,
  applyEvents,
  CandidateStatus,
  emptyGovernanceState,
  GovernanceError,
  GovernanceErrorCode,
  snapshotGovernanceState,
  stateDigest,
  votesFor,
  type GovernanceState,
} from "../../node/registry";
import { type Address } from "../../node/types/primitives";
import { RemovalReason, type GovernanceEventBody } from "../../node/registry/events";
import { addr, AUDITOR, candidate, cast, operator, positioned, registered, revoked, voter, stateOf } from "./fixtures";

const removed = (i: number, reason = RemovalReason.Withdrawn, refundableAt = 500n): GovernanceEventBody => ({
  kind: "CandidateRemoved",
  candidate: candidate(i),
  reason,
  refundableAt,
});

const refunded = (i: number, amount = 100n, by = operator(i)): GovernanceEventBody => ({
  kind: "DepositRefunded",
  candidate: candidate(i),
  operator: by,
  amount,
});

/** Asserts `e` is rejected with `code` and leaves the state exactly as it was. */
function expectRejected(state: GovernanceState, e: GovernanceEventBody, code: GovernanceErrorCode): GovernanceError {
  const before = stateDigest(state);
  let caught: unknown;
  try {
    applyEvent(state, e);
  } catch (err) {
    caught = err;
  }
  expect(caught, `${e.kind} should be rejected`).to.be.instanceOf(GovernanceError);
  expect((caught as GovernanceError).code).to.equal(code);
  expect(stateDigest(state)).to.equal(before);
  return caught as GovernanceError;
}

describe("governance reducer", () => {
  describe("auditors and parameters", () => {
    it("adds and removes auditors and records the threshold", () => {
      const state = stateOf([
        { kind: "AuditorAdded", auditor: addr(AUDITOR, 1) },
        { kind: "AuditorAdded", auditor: addr(AUDITOR, 2) },
        { kind: "ThresholdChanged", threshold: 2n },
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
        GovernanceErrorCode.AUDITOR_ALREADY_ADDED,
      );
      expect(e.type).to.deep.equal({ code: GovernanceErrorCode.AUDITOR_ALREADY_ADDED, auditor: addr(AUDITOR, 1) });
      expectRejected(
        state,
        { kind: "AuditorRemoved", auditor: addr(AUDITOR, 2) },
        GovernanceErrorCode.AUDITOR_NOT_FOUND,
      );
    });

    it("records every governed parameter, defaulting maxVotesPerVoter to the contract's 30", () => {
      expect(emptyGovernanceState().parameters.maxVotesPerVoter).to.equal(30n);
      const state = stateOf([
        { kind: "MinDepositChanged", minDeposit: 7n },
        { kind: "UnbondingPeriodChanged", unbondingPeriod: 3600n },
        { kind: "RepresentativeCountChanged", representativeCount: 21n },
        { kind: "MaxVotesPerVoterChanged", maxVotesPerVoter: 5n },
      ]);
      expect(state.parameters).to.deep.equal({
        threshold: 0n,
        minDeposit: 7n,
        unbondingPeriod: 3600n,
        representativeCount: 21n,
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
        removalReason: null,
        refundableAt: 0n,
        refunded: false,
      });
    });

    it("rejects a second registration of an active candidate", () => {
      const state = stateOf([registered(1)]);
      expectRejected(state, registered(1), GovernanceErrorCode.CANDIDATE_ALREADY_REGISTERED);
    });

    it("rejects a deposit below minDeposit", () => {
      const state = stateOf([{ kind: "MinDepositChanged", minDeposit: 101n }]);
      const e = expectRejected(state, registered(1, { deposit: 100n }), GovernanceErrorCode.DEPOSIT_BELOW_MINIMUM);
      expect(e.type).to.deep.include({ deposit: 100n, minDeposit: 101n });
    });

    it("renews the credential expiry of an active candidate only", () => {
      const state = stateOf([
        registered(1),
        { kind: "CredentialsRenewed", candidate: candidate(1), credentialExpiry: 9n },
      ]);
      expect(state.candidates.get(candidate(1))?.credentialExpiry).to.equal(9n);
      expectRejected(
        state,
        { kind: "CredentialsRenewed", candidate: candidate(2), credentialExpiry: 9n },
        GovernanceErrorCode.CANDIDATE_NOT_ACTIVE,
      );
      applyEvent(state, removed(1));
      expectRejected(
        state,
        { kind: "CredentialsRenewed", candidate: candidate(1), credentialExpiry: 10n },
        GovernanceErrorCode.CANDIDATE_NOT_ACTIVE,
      );
    });

    it("removes an active candidate, recording the reason and when the deposit is refundable", () => {
      const state = stateOf([registered(1), removed(1, RemovalReason.Revoked, 777n)]);
      expect(state.candidates.get(candidate(1))).to.deep.include({
        status: CandidateStatus.Removed,
        removalReason: RemovalReason.Revoked,
        refundableAt: 777n,
        refunded: false,
      });
      expectRejected(state, removed(1), GovernanceErrorCode.CANDIDATE_NOT_ACTIVE);
      expectRejected(state, removed(2), GovernanceErrorCode.CANDIDATE_NOT_ACTIVE);
    });

    it("refunds the full deposit to the operator once", () => {
      const state = stateOf([registered(1), removed(1), refunded(1)]);
      expect(state.candidates.get(candidate(1))).to.deep.include({ status: CandidateStatus.Refunded, refunded: true });
      expectRejected(state, refunded(1), GovernanceErrorCode.CANDIDATE_NOT_REMOVED);
    });

    it("rejects a refund of an active candidate, to another operator or of another amount", () => {
      const state = stateOf([registered(1)]);
      expectRejected(state, refunded(1), GovernanceErrorCode.CANDIDATE_NOT_REMOVED);
      applyEvent(state, removed(1));
      expectRejected(state, refunded(1, 100n, operator(2)), GovernanceErrorCode.REFUND_MISMATCH);
      const e = expectRejected(state, refunded(1, 99n), GovernanceErrorCode.REFUND_MISMATCH);
      expect(e.type).to.deep.include({ expectedAmount: 100n, amount: 99n });
    });

    it("rejects a re-registration before the deposit is refunded", () => {
      const state = stateOf([registered(1), removed(1)]);
      expectRejected(state, registered(1), GovernanceErrorCode.DEPOSIT_NOT_REFUNDED);
    });

    it("re-registers after a refund with a new operator, deposit and expiry", () => {
      const state = stateOf([
        registered(1),
        removed(1),
        refunded(1),
        registered(1, { operator: operator(9), deposit: 300n, credentialExpiry: 5000n }),
      ]);
      expect(state.candidates.get(candidate(1))).to.deep.include({
        status: CandidateStatus.Active,
        operator: operator(9),
        deposit: 300n,
        credentialExpiry: 5000n,
        removalReason: null,
        refundableAt: 0n,
        refunded: false,
      });
    });
  });

  describe("votes", () => {
    it("counts one approval per voter and candidate", () => {
      const state = stateOf([registered(1), registered(2), cast(1, 1), cast(2, 1), cast(1, 2)]);
      expect(votesFor(state, candidate(1))).to.equal(2);
      expect(votesFor(state, candidate(2))).to.equal(1);
      expect([...(state.approvals.get(voter(1)) ?? [])]).to.have.members([candidate(1), candidate(2)]);
    });

    it("rejects a duplicate approval and a vote for a non-candidate or removed candidate", () => {
      const state = stateOf([registered(1), registered(2), cast(1, 1), removed(2)]);
      expectRejected(state, cast(1, 1), GovernanceErrorCode.VOTE_ALREADY_CAST);
      expectRejected(state, cast(1, 3), GovernanceErrorCode.CANDIDATE_NOT_ACTIVE);
      const e = expectRejected(state, cast(1, 2), GovernanceErrorCode.CANDIDATE_NOT_ACTIVE);
      expect(e.type).to.deep.include({ status: CandidateStatus.Removed });
    });

    it("revokes an approval, deleting emptied sets and zero counts", () => {
      const state = stateOf([registered(1), cast(1, 1), revoked(1, 1)]);
      expect(votesFor(state, candidate(1))).to.equal(0);
      expect(state.approvals.size).to.equal(0);
      expect(state.tally.size).to.equal(0);
      expect(stateDigest(state)).to.equal(stateDigest(stateOf([registered(1)])));
    });

    it("rejects revoking an approval the voter does not hold", () => {
      const state = stateOf([registered(1), registered(2), cast(1, 1)]);
      expectRejected(state, revoked(1, 2), GovernanceErrorCode.VOTE_NOT_FOUND);
      expectRejected(state, revoked(2, 1), GovernanceErrorCode.VOTE_NOT_FOUND);
    });

    it("keeps the approvals of a removed candidate, lets them be revoked, and counts the rest on re-registration", () => {
      const state = stateOf([registered(1), cast(1, 1), cast(2, 1), cast(3, 1), removed(1)]);
      expect(votesFor(state, candidate(1))).to.equal(3);
      applyEvents(state, [revoked(2, 1), refunded(1), registered(1, { operator: operator(5) })]);
      expect(votesFor(state, candidate(1))).to.equal(2);
      expect(state.approvals.get(voter(1))?.has(candidate(1))).to.equal(true);
      expect(state.approvals.has(voter(2))).to.equal(false);
    });

    it("does not enforce maxVotesPerVoter (the contract's check, not the stream's)", () => {
      const state = stateOf([{ kind: "MaxVotesPerVoterChanged", maxVotesPerVoter: 1n }, registered(1), registered(2)]);
      applyEvents(state, [cast(1, 1), cast(1, 2)]);
      expect(state.approvals.get(voter(1))?.size).to.equal(2);
    });
  });

  describe("batches", () => {
    it("applies a valid batch like the same events one by one", () => {
      const events = [registered(1), registered(2), cast(1, 1), cast(1, 2), revoked(1, 1), removed(2), refunded(2)];
      const single = emptyGovernanceState();
      for (const e of events) applyEvent(single, e);
      expect(snapshotGovernanceState(stateOf(events))).to.deep.equal(snapshotGovernanceState(single));
    });

    it("rolls a failing batch back entirely and names the rejected event", () => {
      const state = stateOf([registered(1), cast(1, 1), { kind: "AuditorAdded", auditor: addr(AUDITOR, 1) }]);
      const before = stateDigest(state);
      const batch = [
        registered(2),
        cast(2, 1),
        revoked(1, 1),
        removed(1),
        refunded(1),
        registered(1, { operator: operator(8) }),
        { kind: "CredentialsRenewed", candidate: candidate(2), credentialExpiry: 5n },
        { kind: "AuditorRemoved", auditor: addr(AUDITOR, 1) },
        { kind: "RepresentativeCountChanged", representativeCount: 3n },
        { kind: "AuditorAdded", auditor: addr(AUDITOR, 2) },
        positioned(revoked(9, 9), 4),
      ] as GovernanceEventBody[];
      let caught: unknown;
      try {
        applyEvents(state, batch);
      } catch (err) {
        caught = err;
      }
      expect(caught).to.be.instanceOf(GovernanceError);
      const error = caught as GovernanceError;
      expect(error.type).to.deep.equal({
        code: GovernanceErrorCode.BATCH_EVENT_REJECTED,
        index: 10,
        kind: "VoteRevoked",
        blockNumber: 14,
        logIndex: 4,
      });
      expect((error.cause as GovernanceError).code).to.equal(GovernanceErrorCode.VOTE_NOT_FOUND);
      expect(error.message).to.contain("GOVERNANCE_VOTE_NOT_FOUND");
      expect(stateDigest(state)).to.equal(before);
    });

    it("rejects addresses and hashes that are not lowercase hex where they first enter the state", () => {
      const state = stateOf([registered(1)]);
      const checksummed = "0xAbCdEf000000000000000000000000000000C0De" as Address;
      const cases: GovernanceEventBody[] = [
        { ...registered(2), candidate: checksummed } as GovernanceEventBody,
        { ...registered(2), operator: "0x1234" } as GovernanceEventBody,
        { ...registered(2), qualificationHash: "0xAB" } as GovernanceEventBody,
        { kind: "VoteCast", voter: checksummed, candidate: candidate(1) },
        { kind: "AuditorAdded", auditor: checksummed },
      ];
      for (const e of cases) {
        const error = expectRejected(state, e, GovernanceErrorCode.INVALID_FIELD);
        expect(error.message).to.match(/field=(candidate|operator|qualificationHash|voter|auditor)/);
      }
    });

    it("rejects an unknown event kind", () => {
      const state = emptyGovernanceState();
      expectRejected(
        state,
        { kind: "Bogus" } as unknown as GovernanceEventBody,
        GovernanceErrorCode.UNKNOWN_EVENT_KIND,
      );
    });
  });
});
