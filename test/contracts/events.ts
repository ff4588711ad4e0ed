/**
 * The contracts' events are the node's only input: their signatures are fixed by issue 2 and mirrored by
 * node/registry/events.ts. This checks both directions, so a drift on either side fails here.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { RemovalReason } from "../../node/registry/events";
import type { GovernanceEventKind } from "../../node/registry/events";
import { candidateAddress, deployFixture, registerCandidates } from "./fixtures";

/** Every governance event kind, with the exact Solidity signature that emits it. */
const SIGNATURES: Record<GovernanceEventKind, string> = {
  AuditorAdded: "AuditorAdded(address)",
  AuditorRemoved: "AuditorRemoved(address)",
  ThresholdChanged: "ThresholdChanged(uint256)",
  CandidateRegistered: "CandidateRegistered(address,address,uint256,bytes32,uint64)",
  CredentialsRenewed: "CredentialsRenewed(address,uint64)",
  CandidateRemoved: "CandidateRemoved(address,uint8,uint64)",
  DepositRefunded: "DepositRefunded(address,address,uint256)",
  MinDepositChanged: "MinDepositChanged(uint256)",
  UnbondingPeriodChanged: "UnbondingPeriodChanged(uint256)",
  RepresentativeCountChanged: "RepresentativeCountChanged(uint256)",
  VoteCast: "VoteCast(address,address)",
  VoteRevoked: "VoteRevoked(address,address)",
  MaxVotesPerVoterChanged: "MaxVotesPerVoterChanged(uint256)",
};

/** Events inherited from OpenZeppelin that carry no governance state. */
const INHERITED = new Set(["OwnershipTransferred", "OwnershipTransferStarted", "EIP712DomainChanged"]);

describe("governance events", () => {
  it("the three registries emit exactly the governance event kinds, with the issue's signatures", async () => {
    const { auditorRegistry, registry, voteRegistry } = await loadFixture(deployFixture);
    const emitted = new Map<string, string>();
    for (const contract of [auditorRegistry, registry, voteRegistry]) {
      contract.interface.forEachEvent((event) => {
        if (!INHERITED.has(event.name)) emitted.set(event.name, event.format("sighash"));
      });
    }
    expect(Object.fromEntries(emitted)).to.deep.equal(SIGNATURES);
  });

  it("indexes the candidate, operator and voter topics", async () => {
    const { registry, voteRegistry } = await loadFixture(deployFixture);
    const indexed = (event: "CandidateRegistered" | "DepositRefunded" | "CandidateRemoved") =>
      registry.interface
        .getEvent(event)!
        .inputs.filter((i) => i.indexed)
        .map((i) => i.name);
    expect(indexed("CandidateRegistered")).to.deep.equal(["candidate", "operator"]);
    expect(indexed("DepositRefunded")).to.deep.equal(["candidate", "operator"]);
    expect(indexed("CandidateRemoved")).to.deep.equal(["candidate"]);
    expect(
      voteRegistry.interface
        .getEvent("VoteCast")!
        .inputs.filter((i) => i.indexed)
        .map((i) => i.name),
    ).to.deep.equal(["voter", "candidate"]);
  });

  it("CandidateRemoved.reason uses the node's RemovalReason numbering", async () => {
    const fx = await loadFixture(deployFixture);
    await registerCandidates(fx, 2);
    const withdrawnAt = await nextRefundableAt(fx);
    await expect(fx.registry.connect(fx.operator).withdraw(candidateAddress(0)))
      .to.emit(fx.registry, "CandidateRemoved")
      .withArgs(candidateAddress(0), RemovalReason.Withdrawn, withdrawnAt);
    const revokedAt = await nextRefundableAt(fx);
    await expect(fx.registry.revokeCandidate(candidateAddress(1), ethers.ZeroHash))
      .to.emit(fx.registry, "CandidateRemoved")
      .withArgs(candidateAddress(1), RemovalReason.Revoked, revokedAt);
  });
});

/** Fixes the next block's timestamp and returns the refundableAt a removal mined in it gets. */
async function nextRefundableAt(fx: Awaited<ReturnType<typeof deployFixture>>): Promise<bigint> {
  const next = BigInt(await time.latest()) + 10n;
  await time.setNextBlockTimestamp(next);
  return next + (await fx.registry.unbondingPeriod());
}
