/**
 * The contracts' events are the node's only input (issue 10 fixes their signatures; docs/contracts.md lists
 * them). This pins every event signature and its indexed topics, so a drift fails here.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { candidateAddress, deployFixture, registerCandidates } from "./fixtures";

/** Every governance event, with its exact Solidity signature and its indexed arguments. */
const EVENTS: Record<string, [string, string[]]> = {
  AuditorAdded: ["AuditorAdded(address)", ["auditor"]],
  AuditorRemoved: ["AuditorRemoved(address)", ["auditor"]],
  ThresholdChanged: ["ThresholdChanged(uint256,uint256)", []],
  CandidateRegistered: [
    "CandidateRegistered(address,address,uint256,bytes32,uint64,uint256)",
    ["candidate", "operator"],
  ],
  CredentialsRenewed: ["CredentialsRenewed(address,bytes32,uint64,uint256)", ["candidate"]],
  SigningKeyRotated: ["SigningKeyRotated(address,address,address,uint64,uint64)", ["candidate", "oldKey", "newKey"]],
  CandidateRemoved: ["CandidateRemoved(address,uint8,address,bytes32,uint64,uint256)", ["candidate", "remover"]],
  CandidateSlashed: ["CandidateSlashed(address,bytes32,uint256,address)", ["candidate", "evidenceHash", "submitter"]],
  SlashShareCredited: ["SlashShareCredited(address,address,uint256)", ["candidate", "account"]],
  RefundCredited: ["RefundCredited(address,address,uint256)", ["candidate", "operator"]],
  RefundWithdrawn: ["RefundWithdrawn(address,address,uint256)", ["account", "to"]],
  MinDepositChanged: ["MinDepositChanged(uint256,uint256)", []],
  UnbondingPeriodChanged: ["UnbondingPeriodChanged(uint256,uint256)", []],
  RepresentativeRuleChanged: ["RepresentativeRuleChanged(uint256,uint256,uint256,uint256,uint256,uint256)", []],
  SlashFractionChanged: ["SlashFractionChanged(uint256,uint256)", []],
  VoteCast: ["VoteCast(address,address,uint256)", ["voter", "candidate"]],
  VoteRevoked: ["VoteRevoked(address,address,uint256)", ["voter", "candidate"]],
  SignedVotesCancelled: ["SignedVotesCancelled(address,uint256)", ["voter"]],
  MaxVotesPerVoterChanged: ["MaxVotesPerVoterChanged(uint256,uint256)", []],
};

/** Events inherited from OpenZeppelin that carry no governance state. */
const INHERITED = new Set(["OwnershipTransferred", "OwnershipTransferStarted", "EIP712DomainChanged"]);

/** CandidateRemoved.reason (ICandidateRegistry.RemovalReason). */
const RemovalReason = { Withdrawn: 0, RevokedByOwner: 1, RevokedByAuditors: 2, Slashed: 3 } as const;

describe("governance events", () => {
  it("the three registries emit exactly the governance events, with the issue's signatures and topics", async () => {
    const { auditorRegistry, registry, voteRegistry } = await loadFixture(deployFixture);
    const emitted: Record<string, [string, string[]]> = {};
    for (const contract of [auditorRegistry, registry, voteRegistry]) {
      contract.interface.forEachEvent((event) => {
        if (INHERITED.has(event.name)) return;
        emitted[event.name] = [event.format("sighash"), event.inputs.filter((i) => i.indexed).map((i) => i.name)];
      });
    }
    expect(emitted).to.deep.equal(EVENTS);
  });

  it("CandidateRemoved.reason says who removed: operator, owner or auditors", async () => {
    const fx = await loadFixture(deployFixture);
    await registerCandidates(fx, 2);
    const withdrawnAt = await nextRefundableAt(fx);
    await expect(fx.registry.connect(fx.operator).withdraw(candidateAddress(0)))
      .to.emit(fx.registry, "CandidateRemoved")
      .withArgs(candidateAddress(0), RemovalReason.Withdrawn, fx.operator.address, ethers.ZeroHash, withdrawnAt, 2n);
    const revokedAt = await nextRefundableAt(fx);
    const reason = ethers.encodeBytes32String("misconduct");
    await expect(fx.registry.revokeCandidate(candidateAddress(1), reason))
      .to.emit(fx.registry, "CandidateRemoved")
      .withArgs(candidateAddress(1), RemovalReason.RevokedByOwner, fx.owner.address, reason, revokedAt, 2n);
  });
});

/** Fixes the next block's timestamp and returns the refundableAt a removal mined in it gets. */
async function nextRefundableAt(fx: Awaited<ReturnType<typeof deployFixture>>): Promise<bigint> {
  const next = BigInt(await time.latest()) + 10n;
  await time.setNextBlockTimestamp(next);
  return next + (await fx.registry.unbondingPeriod());
}
