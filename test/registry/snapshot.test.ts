import { expect } from "chai";
import { keccak256, solidityPacked } from "ethers";
import { snapshotGovernanceState, stateDigest } from "../../node/registry";
import { RemovalReason, type GovernanceEventBody } from "../../node/registry/events";
import { addr, AUDITOR, bytes32, candidate, cast, operator, registered, voter, stateOf } from "./fixtures";

describe("state snapshot and digest", () => {
  it("do not depend on the order in which independent facts were learned", () => {
    const a = stateOf([registered(1), registered(2), cast(1, 2), cast(2, 1), cast(1, 1)]);
    const b = stateOf([registered(2), registered(1), cast(1, 1), cast(1, 2), cast(2, 1)]);
    expect(snapshotGovernanceState(a)).to.deep.equal(snapshotGovernanceState(b));
    expect(stateDigest(a)).to.equal(stateDigest(b));
  });

  it("change with any recorded fact", () => {
    const base: GovernanceEventBody[] = [registered(1), cast(1, 1)];
    const digests = [
      stateOf(base),
      stateOf([...base, { kind: "AuditorAdded", auditor: addr(AUDITOR, 1) }]),
      stateOf([...base, { kind: "MaxVotesPerVoterChanged", maxVotesPerVoter: 31n }]),
      stateOf([...base, { kind: "CredentialsRenewed", candidate: candidate(1), credentialExpiry: 1001n }]),
      stateOf([
        ...base,
        { kind: "CandidateRemoved", candidate: candidate(1), reason: RemovalReason.Withdrawn, refundableAt: 0n },
      ]),
      stateOf([
        ...base,
        { kind: "CandidateRemoved", candidate: candidate(1), reason: RemovalReason.Revoked, refundableAt: 0n },
      ]),
      stateOf([...base, cast(2, 1)]),
      stateOf([registered(1), cast(2, 1)]),
    ].map(stateDigest);
    expect(new Set(digests).size).to.equal(digests.length);
  });

  it("hashes the documented word layout", () => {
    const state = stateOf([
      { kind: "AuditorAdded", auditor: addr(AUDITOR, 1) },
      { kind: "ThresholdChanged", threshold: 1n },
      registered(1, { credentialExpiry: 777n }),
      cast(1, 1),
    ]);
    const words: [string, unknown][] = [
      ["uint256", 1], // version
      ["uint256", 1], // threshold
      ["uint256", 0], // minDeposit
      ["uint256", 0], // unbondingPeriod
      ["uint256", 0], // representativeCount
      ["uint256", 30], // maxVotesPerVoter
      ["uint256", 1], // #auditors
      ["uint256", addr(AUDITOR, 1)],
      ["uint256", 1], // #candidates
      ["uint256", candidate(1)],
      ["uint256", 0], // active
      ["uint256", operator(1)],
      ["uint256", 100], // deposit
      ["bytes32", bytes32(2)], // qualificationHash
      ["uint256", 777], // credentialExpiry
      ["uint256", 255], // no removal reason
      ["uint256", 0], // refundableAt
      ["uint256", 0], // refunded
      ["uint256", 1], // votes
      ["uint256", 1], // #voters
      ["uint256", voter(1)],
      ["uint256", 1], // #approved
      ["uint256", candidate(1)],
      ["uint256", 1], // #tally
      ["uint256", candidate(1)],
      ["uint256", 1],
    ];
    const packed = solidityPacked(
      words.map(([type]) => type),
      words.map(([, value]) => value),
    );
    expect(stateDigest(state)).to.equal(keccak256(packed));
  });
});
