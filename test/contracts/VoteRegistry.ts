import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { RevertingVotes__factory, VoteRegistry__factory } from "../../typechain-types";
import { VOTE_TYPES, readDomain, signVote } from "../../node/types/eip712";
import {
  UNBONDING_PERIOD,
  candidateAddress,
  deployFixture,
  registerCandidates,
  registerOne,
  type Fixture,
} from "./fixtures";

/**
 * The storage slot of VoteRegistry._ballots: OpenZeppelin 5 Ownable keeps `_owner` in slot 0, Ownable2Step
 * `_pendingOwner` in slot 1, EIP712 `_nameFallback` and `_versionFallback` in slots 2 and 3; then
 * `_maxVotesPerVoter` (4) and `_ballots` (5).
 */
const BALLOTS_SLOT = 5n;

/** Word `w` of `voter`'s ballot, read from storage: _ballots[voter][w]. */
async function ballotWord(votes: { getAddress(): Promise<string> }, voter: string, w: bigint): Promise<bigint> {
  const coder = ethers.AbiCoder.defaultAbiCoder();
  const ballot = ethers.keccak256(coder.encode(["address", "uint256"], [voter, BALLOTS_SLOT]));
  const slot = ethers.keccak256(coder.encode(["uint256", "bytes32"], [w, ballot]));
  return BigInt(await ethers.provider.getStorage(await votes.getAddress(), slot));
}

describe("VoteRegistry", () => {
  async function withCandidates() {
    const fx = await deployFixture();
    const candidates = await registerCandidates(fx, 12);
    const votes = fx.voteRegistry;
    const voteDomain = await readDomain(fx.owner, await votes.getAddress());
    return { ...fx, candidates, votes, voteDomain };
  }

  /** A candidate that withdraws, is refunded and registers again: registration 1 dies, 3 starts. */
  async function reRegister(fx: Fixture, candidate: string) {
    if (await fx.registry.isCandidate(candidate)) await fx.registry.connect(fx.operator).withdraw(candidate);
    await time.increase(UNBONDING_PERIOD);
    await fx.registry.refund(candidate);
    await registerOne(fx, candidate);
  }

  describe("deployment", () => {
    it("starts with maxVotesPerVoter 30, emits it, and names its registry and voting token", async () => {
      const { votes, registry, token } = await loadFixture(withCandidates);
      expect(await votes.maxVotesPerVoter()).to.equal(30n);
      await expect(votes.deploymentTransaction()!).to.emit(votes, "MaxVotesPerVoterChanged").withArgs(0, 30);
      expect(await votes.candidateRegistry()).to.equal(await registry.getAddress());
      expect(await votes.votingToken()).to.equal(await token.getAddress());
    });

    it("rejects a voting token that is not a contract", async () => {
      const { owner, registry, stranger } = await loadFixture(withCandidates);
      const factory = new VoteRegistry__factory(owner);
      await expect(factory.deploy(owner.address, await registry.getAddress(), stranger.address))
        .to.be.revertedWithCustomError(factory, "VoteRegistryInvalidToken")
        .withArgs(stranger.address);
    });

    it("casting a vote never reads the token: votes go through on a token whose every call reverts", async () => {
      const { owner, registry, candidates, voters } = await loadFixture(withCandidates);
      const reverting = await new RevertingVotes__factory(owner).deploy();
      await expect(reverting.getPastVotes(voters[0].address, 0)).to.be.revertedWithCustomError(
        reverting,
        "RevertingVotesRead",
      );
      const votes = await new VoteRegistry__factory(owner).deploy(
        owner.address,
        await registry.getAddress(),
        await reverting.getAddress(),
      );
      await votes.connect(voters[0]).vote(candidates.slice(0, 3), []);
      await votes.connect(voters[0]).vote([candidates[3]], [candidates[0]]);
      expect([...(await votes.votesOf(voters[0].address))]).to.have.members(candidates.slice(1, 4));
    });

    it("cannot lose its owner: renounceOwnership is disabled", async () => {
      const { votes, owner } = await loadFixture(withCandidates);
      await expect(votes.renounceOwnership()).to.be.revertedWithCustomError(votes, "VoteRegistryRenounceDisabled");
      expect(await votes.owner()).to.equal(owner.address);
    });
  });

  describe("vote", () => {
    it("adds approvals of the candidates' current registrations with VoteCast events", async () => {
      const { votes, candidates, voters } = await loadFixture(withCandidates);
      const tx = votes.connect(voters[0]).vote([candidates[3], candidates[0]], []);
      await expect(tx).to.emit(votes, "VoteCast").withArgs(voters[0].address, candidates[3], 1n);
      await expect(tx).to.emit(votes, "VoteCast").withArgs(voters[0].address, candidates[0], 1n);
      expect(await votes.votesOf(voters[0].address)).to.deep.equal([candidates[3], candidates[0]]);
      expect(await votes.approvalsOf(voters[0].address)).to.deep.equal([
        [candidates[3], 1n, true],
        [candidates[0], 1n, true],
      ]);
      expect(await votes.votesOf(voters[1].address)).to.deep.equal([]);
    });

    it("revokes first, then adds, so a voter at the limit can swap", async () => {
      const { votes, candidates, voters } = await loadFixture(withCandidates);
      await votes.setMaxVotesPerVoter(2);
      await votes.connect(voters[0]).vote([candidates[0], candidates[1]], []);
      const tx = votes.connect(voters[0]).vote([candidates[2]], [candidates[0]]);
      await expect(tx).to.emit(votes, "VoteRevoked").withArgs(voters[0].address, candidates[0], 1n);
      await expect(tx).to.emit(votes, "VoteCast").withArgs(voters[0].address, candidates[2], 1n);
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

    it("rejects an empty vote: no call changes nothing silently", async () => {
      const { votes, voters } = await loadFixture(withCandidates);
      await expect(votes.connect(voters[0]).vote([], []))
        .to.be.revertedWithCustomError(votes, "VoteRegistryEmptyVote")
        .withArgs(voters[0].address);
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
      // More additions than the limit are refused before the ballot is loaded (memory stays bounded).
      await expect(votes.connect(voters[1]).vote(candidates.slice(0, 5), []))
        .to.be.revertedWithCustomError(votes, "VoteRegistryTooManyVotes")
        .withArgs(voters[1].address, 5, 3);
      // Exactly at the limit is fine.
      await votes.connect(voters[1]).vote(candidates.slice(0, 3), []);
      expect(await votes.votesOf(voters[1].address)).to.have.lengthOf(3);
    });

    it("keeps approvals above a lowered limit; the voter can only revoke until under it", async () => {
      const { votes, candidates, voters } = await loadFixture(withCandidates);
      await votes.connect(voters[0]).vote(candidates.slice(0, 4), []);
      await votes.setMaxVotesPerVoter(2);
      expect(await votes.votesOf(voters[0].address)).to.have.lengthOf(4);
      await expect(votes.connect(voters[0]).vote([candidates[5]], [candidates[0], candidates[1]]))
        .to.be.revertedWithCustomError(votes, "VoteRegistryTooManyVotes")
        .withArgs(voters[0].address, 3, 2);
      await votes.connect(voters[0]).vote([], [candidates[0], candidates[1]]);
      expect(await votes.votesOf(voters[0].address)).to.have.lengthOf(2);
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
  });

  describe("approvals belong to a registration", () => {
    it("dead approval: a removed candidate's approval stays dead after it registers again, still uses a slot", async () => {
      const fx = await loadFixture(withCandidates);
      const { votes, candidates, voters } = fx;
      await votes.setMaxVotesPerVoter(2);
      await votes.connect(voters[0]).vote([candidates[0], candidates[1]], []);
      await fx.registry.connect(fx.operator).withdraw(candidates[0]);
      expect(await votes.approvalsOf(voters[0].address)).to.deep.equal([
        [candidates[0], 1n, false],
        [candidates[1], 1n, true],
      ]);
      await expect(votes.connect(voters[0]).vote([candidates[2]], []))
        .to.be.revertedWithCustomError(votes, "VoteRegistryTooManyVotes")
        .withArgs(voters[0].address, 3, 2);
      await reRegister(fx, candidates[0]);
      expect(await fx.registry.isCandidate(candidates[0])).to.equal(true);
      expect(await votes.approvalsOf(voters[0].address)).to.deep.equal([
        [candidates[0], 1n, false],
        [candidates[1], 1n, true],
      ]);
    });

    it("a plain vote([c], []) after re-registration replaces the dead approval in place, at a full ballot", async () => {
      const fx = await loadFixture(withCandidates);
      const { votes, candidates, voters } = fx;
      await votes.setMaxVotesPerVoter(2);
      await votes.connect(voters[0]).vote([candidates[0], candidates[1]], []);
      await reRegister(fx, candidates[0]);
      const tx = votes.connect(voters[0]).vote([candidates[0]], []);
      await expect(tx).to.emit(votes, "VoteRevoked").withArgs(voters[0].address, candidates[0], 1n);
      await expect(tx).to.emit(votes, "VoteCast").withArgs(voters[0].address, candidates[0], 3n);
      expect(await votes.approvalsOf(voters[0].address)).to.deep.equal([
        [candidates[0], 3n, true],
        [candidates[1], 1n, true],
      ]);
      await expect(votes.connect(voters[0]).vote([candidates[0]], []))
        .to.be.revertedWithCustomError(votes, "VoteRegistryAlreadyApproved")
        .withArgs(voters[0].address, candidates[0]);
    });

    it("the voter revokes a dead approval to free its slot", async () => {
      const fx = await loadFixture(withCandidates);
      const { votes, candidates, voters } = fx;
      await votes.setMaxVotesPerVoter(2);
      await votes.connect(voters[0]).vote([candidates[0], candidates[1]], []);
      await fx.registry.revokeCandidate(candidates[1], ethers.ZeroHash);
      await expect(votes.connect(voters[0]).vote([candidates[2]], [candidates[1]]))
        .to.emit(votes, "VoteRevoked")
        .withArgs(voters[0].address, candidates[1], 1n);
      expect(await votes.approvalsOf(voters[0].address)).to.deep.equal([
        [candidates[0], 1n, true],
        [candidates[2], 1n, true],
      ]);
    });
  });

  describe("ballot of exactly N approvals spilling into a new storage word", () => {
    async function manyCandidates() {
      const fx = await deployFixture();
      const candidates = await registerCandidates(fx, 31);
      return { ...fx, candidates, votes: fx.voteRegistry };
    }

    it("stores the documented layout: count and nonce, then 48-bit entries, 4 in word 0 and 5 per word; freed words are zero", async () => {
      const { votes, registry, candidates, voters } = await loadFixture(manyCandidates);
      const voter = voters[2];
      const chosen = candidates.slice(3, 13);
      await votes.connect(voter).vote(chosen, []);
      await votes.connect(voter).cancelSignedVotes();
      await votes.connect(voter).cancelSignedVotes();
      const entries: bigint[] = [];
      for (const c of chosen) {
        const [, , index, registration] = await registry.candidateIndex(c);
        entries.push(index | (registration << 24n));
      }
      // Entry k sits in word 0 at bit 64 + 48k for k < 4, else in word 1 + (k − 4) / 5 at bit 48 · ((k − 4) % 5).
      const expected = [10n | (2n << 8n), 0n, 0n, 0n];
      entries.forEach((e, k) => {
        const [w, shift] = k < 4 ? [0, 64 + 48 * k] : [1 + Math.floor((k - 4) / 5), 48 * ((k - 4) % 5)];
        expected[w] |= e << BigInt(shift);
      });
      for (let w = 0; w < 4; w++)
        expect(await ballotWord(votes, voter.address, BigInt(w)), `word ${w}`).to.equal(expected[w]);
      // Revoking the last six leaves 4 entries in word 0; words 1 and 2 are cleared, nothing stale stays.
      await votes.connect(voter).vote([], chosen.slice(4));
      expect(await ballotWord(votes, voter.address, 0n)).to.equal(expected[0] - 6n);
      expect(await ballotWord(votes, voter.address, 1n)).to.equal(0n);
      expect(await ballotWord(votes, voter.address, 2n)).to.equal(0n);
      expect(await votes.nonces(voter.address)).to.equal(2n);
    });

    // Word 0 holds 4 entries and every further word 5, so 5, 10, 15, ... open a new word; 7, 15 and 23 are the
    // spill points of the earlier 6 + 8 layout, kept so that layout's surviving mutants stay covered.
    for (const n of [4, 5, 6, 7, 9, 10, 11, 14, 15, 16, 19, 20, 23, 24, 25, 29, 30]) {
      it(`holds exactly ${n} approvals added at once or one by one, and gives them all back`, async () => {
        const { votes, candidates, voters } = await loadFixture(manyCandidates);
        const chosen = candidates.slice(0, n);
        await votes.connect(voters[0]).vote(chosen, []);
        expect(await votes.votesOf(voters[0].address)).to.deep.equal(chosen);
        for (const c of chosen.slice(0, n - 1)) await votes.connect(voters[1]).vote([c], []);
        await votes.connect(voters[1]).vote([chosen[n - 1]], []);
        expect(await votes.votesOf(voters[1].address)).to.deep.equal(chosen);
        // The last entry moves into the first's place when the first is revoked.
        await votes.connect(voters[0]).vote([], [chosen[0]]);
        const expected = n === 1 ? [] : [chosen[n - 1], ...chosen.slice(1, n - 1)];
        expect(await votes.votesOf(voters[0].address)).to.deep.equal(expected);
        await votes.connect(voters[0]).vote([], expected);
        expect(await votes.votesOf(voters[0].address)).to.deep.equal([]);
        await votes.connect(voters[0]).vote([candidates[30]], []);
        expect(await votes.votesOf(voters[0].address)).to.deep.equal([candidates[30]]);
      });
    }
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
      await expect(tx).to.emit(votes, "VoteRevoked").withArgs(voter.address, candidates[0], 1n);
      await expect(tx).to.emit(votes, "VoteCast").withArgs(voter.address, candidates[1], 1n);
      expect(await votes.nonces(voter.address)).to.equal(1n);
      expect(await votes.votesOf(voter.address)).to.deep.equal([candidates[1]]);
      // Replaying it: the contract now hashes nonce 1, so the signature recovers someone else.
      const recovered = ethers.verifyTypedData(voteDomain, VOTE_TYPES, { ...message, nonce: 1n }, signature);
      await expect(votes.voteBySig(voter.address, message.add, message.revoke, deadline, signature))
        .to.be.revertedWithCustomError(votes, "VoteRegistryInvalidSigner")
        .withArgs(recovered, voter.address);
    });

    it("voteBySig mined exactly at its deadline is accepted; one second later it is expired", async () => {
      const { votes, voteDomain, candidates, voters } = await loadFixture(withCandidates);
      const voter = voters[0];
      const deadline = BigInt(await time.latest()) + 100n;
      const first = { voter: voter.address, add: [candidates[0]], revoke: [], nonce: 0n, deadline };
      await time.setNextBlockTimestamp(deadline);
      await votes.voteBySig(voter.address, first.add, [], deadline, await signVote(voter, voteDomain, first));
      expect(await votes.votesOf(voter.address)).to.deep.equal([candidates[0]]);
      const late = { ...first, add: [candidates[1]], nonce: 1n };
      const signature = await signVote(voter, voteDomain, late);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(votes.voteBySig(voter.address, late.add, [], deadline, signature))
        .to.be.revertedWithCustomError(votes, "VoteRegistryExpiredSignature")
        .withArgs(deadline);
    });

    it("two relayed votes in a row by one voter: nonces 0 then 1, each exactly once, header intact", async () => {
      const { votes, voteDomain, candidates, voters, stranger } = await loadFixture(withCandidates);
      const voter = voters[0];
      const deadline = BigInt(await time.latest()) + 600n;
      for (let nonce = 0n; nonce < 3n; nonce++) {
        const message = { voter: voter.address, add: [candidates[Number(nonce)]], revoke: [], nonce, deadline };
        const signature = await signVote(voter, voteDomain, message);
        await votes.connect(stranger).voteBySig(voter.address, message.add, [], deadline, signature);
        expect(await votes.nonces(voter.address)).to.equal(nonce + 1n);
      }
      expect(await votes.votesOf(voter.address)).to.deep.equal(candidates.slice(0, 3));
      // The raw header word: count 3, nonce 3, nothing else in the low 64 bits.
      const head = await ballotWord(votes, voter.address, 0n);
      expect(head & 0xffffffffffffffffn).to.equal(3n | (3n << 8n));
    });

    it("a direct vote() does not move the nonce; cancelSignedVotes() voids outstanding signatures", async () => {
      const { votes, voteDomain, candidates, voters } = await loadFixture(withCandidates);
      const voter = voters[0];
      const deadline = BigInt(await time.latest()) + 600n;
      const message = { voter: voter.address, add: [candidates[1]], revoke: [], nonce: 0n, deadline };
      const signature = await signVote(voter, voteDomain, message);
      await votes.connect(voter).vote([candidates[0]], []);
      expect(await votes.nonces(voter.address)).to.equal(0n);
      await expect(votes.connect(voter).cancelSignedVotes())
        .to.emit(votes, "SignedVotesCancelled")
        .withArgs(voter.address, 1n);
      expect(await votes.nonces(voter.address)).to.equal(1n);
      expect(await votes.votesOf(voter.address)).to.deep.equal([candidates[0]]);
      // A second cancel moves 1 to exactly 2 (no stale nonce bits), and the ballot is untouched.
      await expect(votes.connect(voter).cancelSignedVotes())
        .to.emit(votes, "SignedVotesCancelled")
        .withArgs(voter.address, 2n);
      expect(await votes.nonces(voter.address)).to.equal(2n);
      expect(await votes.votesOf(voter.address)).to.deep.equal([candidates[0]]);
      await expect(votes.voteBySig(voter.address, message.add, [], deadline, signature)).to.be.revertedWithCustomError(
        votes,
        "VoteRegistryInvalidSigner",
      );
    });

    it("rejects an empty signed vote, an expired signature, another signer, and a malformed signature", async () => {
      const { votes, voteDomain, candidates, voters } = await loadFixture(withCandidates);
      const voter = voters[0];
      const deadline = BigInt(await time.latest()) + 600n;
      const empty = { voter: voter.address, add: [], revoke: [], nonce: 0n, deadline };
      await expect(votes.voteBySig(voter.address, [], [], deadline, await signVote(voter, voteDomain, empty)))
        .to.be.revertedWithCustomError(votes, "VoteRegistryEmptyVote")
        .withArgs(voter.address);
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
    it("sets the limit with an old/new event and rejects 0, above 255, and a non-owner", async () => {
      const { votes, stranger } = await loadFixture(withCandidates);
      await expect(votes.setMaxVotesPerVoter(255)).to.emit(votes, "MaxVotesPerVoterChanged").withArgs(30, 255);
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
