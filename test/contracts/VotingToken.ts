import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { VotingToken__factory } from "../../typechain-types";

describe("VotingToken (the project's ERC20Votes + ERC20Permit)", () => {
  async function token() {
    const [owner, alice, bob, stranger] = await ethers.getSigners();
    const votes = await new VotingToken__factory(owner).deploy("Repchain Vote", "RVOTE", owner.address);
    return { votes, owner, alice, bob, stranger };
  }

  it("the owner mints; power exists only once delegated, and follows transfers block by block", async () => {
    const { votes, alice, bob } = await loadFixture(token);
    await votes.mint(alice.address, 100n);
    expect(await votes.getVotes(alice.address)).to.equal(0n);
    await votes.connect(alice).delegate(alice.address);
    const delegated = await ethers.provider.getBlockNumber();
    await votes.connect(alice).transfer(bob.address, 40n);
    await votes.connect(bob).delegate(alice.address);
    await mine(1);
    expect(await votes.getPastVotes(alice.address, delegated)).to.equal(100n);
    expect(await votes.getVotes(alice.address)).to.equal(100n);
    expect(await votes.getVotes(bob.address)).to.equal(0n);
    expect(await votes.CLOCK_MODE()).to.equal("mode=blocknumber&from=default");
  });

  it("rejects minting by anyone but the owner", async () => {
    const { votes, stranger } = await loadFixture(token);
    await expect(votes.connect(stranger).mint(stranger.address, 1n))
      .to.be.revertedWithCustomError(votes, "OwnableUnauthorizedAccount")
      .withArgs(stranger.address);
  });

  it("accepts an ERC-2612 permit, whose nonce moves once", async () => {
    const { votes, alice, bob } = await loadFixture(token);
    const deadline = BigInt(await time.latest()) + 600n;
    const domain = {
      name: "Repchain Vote",
      version: "1",
      chainId: 31337n,
      verifyingContract: await votes.getAddress(),
    };
    const types = {
      Permit: [
        { name: "owner", type: "address" },
        { name: "spender", type: "address" },
        { name: "value", type: "uint256" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    };
    const message = { owner: alice.address, spender: bob.address, value: 5n, nonce: 0n, deadline };
    const sig = ethers.Signature.from(await alice.signTypedData(domain, types, message));
    await votes.permit(alice.address, bob.address, 5n, deadline, sig.v, sig.r, sig.s);
    expect(await votes.allowance(alice.address, bob.address)).to.equal(5n);
    expect(await votes.nonces(alice.address)).to.equal(1n);
  });
});
