import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { VOTE_TYPES, readDomain, signVote } from "../../node/types/eip712";
import {
  MIN_DEPOSIT,
  UNBONDING_PERIOD,
  application,
  candidateAddress,
  deployFixture,
  qualificationHash,
  registerCandidates,
} from "./fixtures";

describe("VoteRegistry", () => {
  async function withCandidates() {
    const fx = await deployFixture();
    const candidates = await registerCandidates(fx, 12);
    const votes = fx.voteRegistry;
    const voteDomain = await readDomain(fx.owner, await votes.getAddress());
    return { ...fx, candidates, votes, voteDomain };
  }

  it("starts with maxVotesPerVoter 30 and emits it at deployment", async () => {
    const { votes, registry } = await loadFixture(withCandidates);
    expect(await votes.maxVotesPerVoter()).to.equal(30n);
    await expect(votes.deploymentTransaction()!).to.emit(votes, "MaxVotesPerVoterChanged").withArgs(30);
    expect(await votes.candidateRegistry()).to.equal(await registry.getAddress());
  });

  describe("vote", () => {
    it("adds approvals with VoteCast events", async () => {
      const { votes, candidates, voters } = await loadFixture(withCandidates);
      const tx = votes.connect(voters[0]).vote([candidates[3], candidates[0]], []);
      await expect(tx).to.emit(votes, "VoteCast").withArgs(voters[0].address, candidates[3]);
      await expect(tx).to.emit(votes, "VoteCast").withArgs(voters[0].address, candidates[0]);
      expect(await votes.votesOf(voters[0].address)).to.deep.equal([candidates[3], candidates[0]]);
      expect(await votes.votesOf(voters[1].address)).to.deep.equal([]);
    });

    it("revokes first, then adds, so a voter at the limit can swap", async () => {
      const { votes, candidates, voters } = await loadFixture(withCandidates);
      await votes.setMaxVotesPerVoter(2);
      await votes.connect(voters[0]).vote([candidates[0], candidates[1]], []);
      const tx = votes.connect(voters[0]).vote([candidates[2]], [candidates[0]]);
      await expect(tx).to.emit(votes, "VoteRevoked").withArgs(voters[0].address, candidates[0]);
      await expect(tx).to.emit(votes, "VoteCast").withArgs(voters[0].address, candidates[2]);
      expect([...(await votes.votesOf(voters[0].address))]).to.have.members([candidates[1], candidates[2]]);
    });

    it("keeps approvals across storage words as a set", async () => {
      const { votes, candidates, voters } = await loadFixture(withCandidates);
      await votes.connect(voters[0]).vote(candidates, []);
      const revoked = [candidates[0], candidates[5], candidates[6], candidates[11]];
      await votes.connect(voters[0]).vote([], revoked);
      const kept = candidates.filter((c) => !revoked.includes(c));
      const held = [...(await votes.votesOf(voters[0].address))];
      expect(held).to.have.lengthOf(kept.length);
      expect(held).to.have.members(kept);
      await votes.connect(voters[0]).vote([candidates[5]], kept);
      expect(await votes.votesOf(voters[0].address)).to.deep.equal([candidates[5]]);
    });

    it("rejects a non-candidate and a removed candidate", async () => {
      const { votes, registry, candidates, voters, operator } = await loadFixture(withCandidates);
      const nobody = candidateAddress(500);
      await expect(votes.connect(voters[0]).vote([nobody], []))
        .to.be.revertedWithCustomError(votes, "VoteRegistryNotCandidate")
        .withArgs(nobody);
      await registry.connect(operator).withdraw(candidates[1]);
      await expect(votes.connect(voters[0]).vote([candidates[0], candidates[1]], []))
        .to.be.revertedWithCustomError(votes, "VoteRegistryNotCandidate")
        .withArgs(candidates[1]);
      expect(await votes.votesOf(voters[0].address)).to.deep.equal([]);
    });

    it("rejects an approval already held, also twice in one call", async () => {
      const { votes, candidates, voters } = await loadFixture(withCandidates);
      await votes.connect(voters[0]).vote([candidates[0]], []);
      await expect(votes.connect(voters[0]).vote([candidates[0]], []))
        .to.be.revertedWithCustomError(votes, "VoteRegistryAlreadyApproved")
        .withArgs(voters[0].address, candidates[0]);
      await expect(votes.connect(voters[0]).vote([candidates[1], candidates[1]], []))
        .to.be.revertedWithCustomError(votes, "VoteRegistryAlreadyApproved")
        .withArgs(voters[0].address, candidates[1]);
    });

    it("rejects going over maxVotesPerVoter", async () => {
      const { votes, candidates, voters } = await loadFixture(withCandidates);
      await votes.setMaxVotesPerVoter(3);
      await votes.connect(voters[0]).vote(candidates.slice(0, 2), []);
      await expect(votes.connect(voters[0]).vote(candidates.slice(2, 4), []))
        .to.be.revertedWithCustomError(votes, "VoteRegistryTooManyVotes")
        .withArgs(voters[0].address, 4, 3);
      await expect(votes.connect(voters[1]).vote(candidates.slice(0, 4), []))
        .to.be.revertedWithCustomError(votes, "VoteRegistryTooManyVotes")
        .withArgs(voters[1].address, 4, 3);
    });

    it("rejects revoking an approval not held, or of an address never listed", async () => {
      const { votes, candidates, voters } = await loadFixture(withCandidates);
      await votes.connect(voters[0]).vote([candidates[0]], []);
      await expect(votes.connect(voters[0]).vote([], [candidates[1]]))
        .to.be.revertedWithCustomError(votes, "VoteRegistryNotApproved")
        .withArgs(voters[0].address, candidates[1]);
      const nobody = candidateAddress(500);
      await expect(votes.connect(voters[0]).vote([], [nobody]))
        .to.be.revertedWithCustomError(votes, "VoteRegistryNotApproved")
        .withArgs(voters[0].address, nobody);
      await expect(votes.connect(voters[0]).vote([], [candidates[0], candidates[0]]))
        .to.be.revertedWithCustomError(votes, "VoteRegistryNotApproved")
        .withArgs(voters[0].address, candidates[0]);
    });

    it("keeps approvals of a removed candidate: they use the limit, can be revoked, and count again on return", async () => {
      const fx = await loadFixture(withCandidates);
      const { votes, registry, candidates, voters, operator } = fx;
      await votes.setMaxVotesPerVoter(2);
      await votes.connect(voters[0]).vote([candidates[0], candidates[1]], []);
      await registry.connect(operator).withdraw(candidates[0]);
      expect(await votes.votesOf(voters[0].address)).to.deep.equal([candidates[0], candidates[1]]);
      await expect(votes.connect(voters[0]).vote([candidates[2]], []))
        .to.be.revertedWithCustomError(votes, "VoteRegistryTooManyVotes")
        .withArgs(voters[0].address, 3, 2);
      // The same address registers again: the approval it kept is live again.
      await time.increase(UNBONDING_PERIOD);
      await registry.refund(candidates[0]);
      const app = await application(registry, fx.domain, fx.auditors.slice(0, 3), candidates[0], qualificationHash(0));
      await registry.connect(operator).registerCandidate(app, { value: MIN_DEPOSIT });
      expect(await registry.isCandidate(candidates[0])).to.equal(true);
      expect(await votes.votesOf(voters[0].address)).to.deep.equal([candidates[0], candidates[1]]);
      await registry.revokeCandidate(candidates[1], ethers.ZeroHash);
      await expect(votes.connect(voters[0]).vote([], [candidates[1]]))
        .to.emit(votes, "VoteRevoked")
        .withArgs(voters[0].address, candidates[1]);
      expect(await votes.votesOf(voters[0].address)).to.deep.equal([candidates[0]]);
    });
  });

  describe("voteBySig", () => {
    it("applies a vote signed by the voter and relayed by anyone; the nonce goes up", async () => {
      const { votes, voteDomain, candidates, voters, stranger } = await loadFixture(withCandidates);
      const voter = voters[0];
      await votes.connect(voter).vote([candidates[0]], []);
      const deadline = BigInt(await time.latest()) + 600n;
      const message = { voter: voter.address, add: [candidates[1]], revoke: [candidates[0]], nonce: 0n, deadline };
      const signature = await signVote(voter, voteDomain, message);
      const tx = votes.connect(stranger).voteBySig(voter.address, message.add, message.revoke, deadline, signature);
      await expect(tx).to.emit(votes, "VoteRevoked").withArgs(voter.address, candidates[0]);
      await expect(tx).to.emit(votes, "VoteCast").withArgs(voter.address, candidates[1]);
      expect(await votes.nonces(voter.address)).to.equal(1n);
      expect(await votes.votesOf(voter.address)).to.deep.equal([candidates[1]]);
      // Replaying it: the contract now hashes nonce 1, so the signature recovers someone else.
      const recovered = ethers.verifyTypedData(voteDomain, VOTE_TYPES, { ...message, nonce: 1n }, signature);
      await expect(votes.voteBySig(voter.address, message.add, message.revoke, deadline, signature))
        .to.be.revertedWithCustomError(votes, "VoteRegistryInvalidSigner")
        .withArgs(recovered, voter.address);
    });

    it("rejects an expired signature, another signer, and a malformed signature", async () => {
      const { votes, voteDomain, candidates, voters } = await loadFixture(withCandidates);
      const voter = voters[0];
      const deadline = BigInt(await time.latest()) + 10n;
      const message = { voter: voter.address, add: [candidates[0]], revoke: [], nonce: 0n, deadline };
      const byOther = await signVote(voters[1], voteDomain, message);
      await expect(votes.voteBySig(voter.address, message.add, [], deadline, byOther))
        .to.be.revertedWithCustomError(votes, "VoteRegistryInvalidSigner")
        .withArgs(voters[1].address, voter.address);
      await expect(votes.voteBySig(voter.address, message.add, [], deadline, "0x1234"))
        .to.be.revertedWithCustomError(votes, "ECDSAInvalidSignatureLength")
        .withArgs(2);
      const signature = await signVote(voter, voteDomain, message);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(votes.voteBySig(voter.address, message.add, [], deadline, signature))
        .to.be.revertedWithCustomError(votes, "VoteRegistryExpiredSignature")
        .withArgs(deadline);
      expect(await votes.nonces(voter.address)).to.equal(0n);
    });
  });

  describe("setMaxVotesPerVoter", () => {
    it("sets the limit with an event and rejects 0, above 255, and a non-owner", async () => {
      const { votes, stranger } = await loadFixture(withCandidates);
      await expect(votes.setMaxVotesPerVoter(255)).to.emit(votes, "MaxVotesPerVoterChanged").withArgs(255);
      for (const v of [0, 256]) {
        await expect(votes.setMaxVotesPerVoter(v))
          .to.be.revertedWithCustomError(votes, "VoteRegistryInvalidMaxVotes")
          .withArgs(v);
      }
      await expect(votes.connect(stranger).setMaxVotesPerVoter(3))
        .to.be.revertedWithCustomError(votes, "OwnableUnauthorizedAccount")
        .withArgs(stranger.address);
      expect(await votes.maxVotesPerVoter()).to.equal(255n);
    });
  });
});
