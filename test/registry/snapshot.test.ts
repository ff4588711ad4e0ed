import { expect } from "chai";
import { keccak256, solidityPacked } from "ethers";
import { snapshotRegistryState, stateDigest } from "../../node/registry";
import { RemovalReason, type RegistryEventBody } from "../../node/registry/events";
import {
  addr,
  AUDITOR,
  bytes32,
  candidate,
  cast,
  operator,
  power,
  registered,
  removed,
  voter,
  stateOf,
} from "./fixtures";

describe("state snapshot and digest", () => {
  it("do not depend on the order in which independent facts were learned", () => {
    const a = stateOf([registered(1), registered(2), power(1, 0n, 3n), cast(1, 2), cast(2, 1), cast(1, 1)]);
    const b = stateOf([registered(2), registered(1), cast(1, 1), cast(1, 2), cast(2, 1), power(1, 0n, 3n)]);
    expect(snapshotRegistryState(a)).to.deep.equal(snapshotRegistryState(b));
    expect(stateDigest(a)).to.equal(stateDigest(b));
  });

  it("change with any recorded fact", () => {
    const base: RegistryEventBody[] = [registered(1), power(1, 0n, 2n), cast(1, 1)];
    const digests = [
      stateOf(base),
      stateOf([...base, { kind: "AuditorAdded", auditor: addr(AUDITOR, 1) }]),
      stateOf([...base, { kind: "MaxVotesPerVoterChanged", newMax: 31n }]),
      stateOf([
        ...base,
        { kind: "CredentialsRenewed", candidate: candidate(1), qualificationHash: bytes32(2), credentialExpiry: 1001n },
      ]),
      stateOf([...base, removed(1, RemovalReason.Withdrawn, 0n)]),
      stateOf([...base, removed(1, RemovalReason.RevokedByOwner, 0n)]),
      stateOf([...base, cast(2, 1)]),
      stateOf([...base, power(1, 2n, 3n)]),
      stateOf([
        ...base,
        { kind: "SigningKeyRotated", candidate: candidate(1), oldKey: candidate(1), newKey: voter(9) },
      ]),
      stateOf([registered(1), power(1, 0n, 2n), cast(2, 1)]),
    ].map(stateDigest);
    expect(new Set(digests).size).to.equal(digests.length);
  });

  it("hashes the documented word layout", () => {
    const state = stateOf([
      { kind: "AuditorAdded", auditor: addr(AUDITOR, 1) },
      { kind: "ThresholdChanged", newThreshold: 1n },
      registered(1, { credentialExpiry: 777n }),
      power(1, 0n, 5n),
      cast(1, 1),
    ]);
    const words: [string, unknown][] = [
      ["uint256", 2], // version
      ["uint256", 1], // threshold
      ["uint256", 0], // minDeposit
      ["uint256", 0], // unbondingPeriod
      ["uint256", 0], // minRepresentatives
      ["uint256", 0], // maxRepresentatives
      ["uint256", 0], // candidatesPerSeat
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
      ["uint256", candidate(1)], // signingKey
      ["uint256", 1], // registration
      ["uint256", 255], // no removal reason
      ["uint256", 0], // refundableAt
      ["uint256", 0], // refunded
      ["uint256", 0], // slashed
      ["uint256", 5], // votes
      ["uint256", 1], // #voters
      ["uint256", voter(1)],
      ["uint256", 1], // #approved
      ["uint256", candidate(1)],
      ["uint256", 1], // registration approved
      ["uint256", 1], // #accounts with power
      ["uint256", voter(1)],
      ["uint256", 5],
      ["uint256", 1], // #keys
      ["uint256", candidate(1)],
      ["uint256", candidate(1)],
      ["uint256", 1], // #tally
      ["uint256", candidate(1)],
      ["uint256", 5],
    ];
    const packed = solidityPacked(
      words.map(([type]) => type),
      words.map(([, value]) => value),
    );
    expect(stateDigest(state)).to.equal(keccak256(packed));
  });
});
