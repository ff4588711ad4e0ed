import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { CallForwarder__factory, CandidateRegistry__factory } from "../../typechain-types";
import {
  L2_CHAIN_ID,
  MIN_DEPOSIT,
  REPRESENTATIVE_RULE,
  UNBONDING_PERIOD,
  Step,
  application,
  candidateAddress,
  candidateWallet,
  deployFixture,
  equivocation,
  evidenceHash,
  nodeVote,
  qualificationHash,
  registerCandidates,
  rotationConsent,
  type Fixture,
} from "./fixtures";

const SECP256K1_N = BigInt("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
const Status = { Active: 1, Withdrawn: 2, Refunded: 4, Slashed: 5 } as const;
const SLASHED_REASON = 3;
/** 5% of the deposit; the submitter gets 10% of that, the treasury the rest. */
const SLASHED = (MIN_DEPOSIT * 500n) / 10_000n;
const REWARD = SLASHED / 10n;

describe("CandidateRegistry: equivocation slashing", () => {
  const C = candidateAddress(0);
  const KEY = candidateWallet(0);
  const HASH_A = ethers.id("block A");
  const HASH_B = ethers.id("block B");

  async function registered() {
    const fx = await deployFixture();
    await registerCandidates(fx, 2);
    return fx;
  }

  async function expectNotSlashable(fx: Fixture, args: ReturnType<typeof equivocation>, status: number) {
    const { refundableAt } = await fx.registry.getCandidate(C);
    await expect(fx.registry.connect(fx.stranger).submitEquivocation(...args))
      .to.be.revertedWithCustomError(fx.registry, "CandidateRegistryNotSlashable")
      .withArgs(C, status, refundableAt);
  }

  it("accepts two prevotes signed by the node's own code: slashes 5%, 10% of it to the submitter", async () => {
    const fx = await loadFixture(registered);
    const { registry, stranger, treasury } = fx;
    const args = equivocation(C, KEY);
    const hash = evidenceHash(C, Step.Prevote, 7, 0, HASH_A, HASH_B);
    const at = BigInt(await time.latest()) + 5n;
    await time.setNextBlockTimestamp(at);
    const tx = registry.connect(stranger).submitEquivocation(...args);
    await expect(tx).to.emit(registry, "CandidateSlashed").withArgs(C, hash, SLASHED, stranger.address);
    await expect(tx)
      .to.emit(registry, "CandidateRemoved")
      .withArgs(C, SLASHED_REASON, stranger.address, hash, at + UNBONDING_PERIOD, 2n);
    await expect(tx).to.emit(registry, "SlashShareCredited").withArgs(C, stranger.address, REWARD);
    await expect(tx)
      .to.emit(registry, "SlashShareCredited")
      .withArgs(C, treasury.address, SLASHED - REWARD);
    await expect(tx).to.changeEtherBalance(registry, 0);
    const record = await registry.getCandidate(C);
    expect(record.status).to.equal(Status.Slashed);
    expect(record.deposit).to.equal(MIN_DEPOSIT - SLASHED);
    expect(record.registrationNonce).to.equal(2n);
    expect(await registry.withdrawable(stranger.address)).to.equal(REWARD);
    expect(await registry.withdrawable(treasury.address)).to.equal(SLASHED - REWARD);
    await expect(registry.connect(treasury).withdrawRefund(treasury.address)).to.changeEtherBalance(
      treasury,
      SLASHED - REWARD,
    );
  });

  it("slash shares add up: a second slashing credits the submitter and the treasury on top of the first", async () => {
    const fx = await loadFixture(registered);
    const { registry, stranger, treasury } = fx;
    await registry.connect(stranger).submitEquivocation(...equivocation(C, KEY));
    await registry.connect(stranger).submitEquivocation(...equivocation(candidateAddress(1), candidateWallet(1)));
    expect(await registry.withdrawable(stranger.address)).to.equal(2n * REWARD);
    expect(await registry.withdrawable(treasury.address)).to.equal(2n * (SLASHED - REWARD));
  });

  it("tx.origin is not the submitter: evidence relayed by a contract credits the contract", async () => {
    const fx = await loadFixture(registered);
    const { registry, stranger } = fx;
    const forwarder = await new CallForwarder__factory(stranger).deploy();
    const data = registry.interface.encodeFunctionData("submitEquivocation", [...equivocation(C, KEY)]);
    const relayer = await forwarder.getAddress();
    const tx = forwarder.connect(stranger).forward(await registry.getAddress(), data);
    const hash = evidenceHash(C, Step.Prevote, 7, 0, HASH_A, HASH_B);
    await expect(tx).to.emit(registry, "CandidateSlashed").withArgs(C, hash, SLASHED, relayer);
    await expect(tx).to.emit(registry, "SlashShareCredited").withArgs(C, relayer, REWARD);
    expect(await registry.withdrawable(relayer)).to.equal(REWARD);
    expect(await registry.withdrawable(stranger.address)).to.equal(0n);
  });

  it("accepts precommits, with nil (the zero hash) as one of the two values", async () => {
    const fx = await loadFixture(registered);
    const args = equivocation(C, KEY, { step: Step.Precommit, height: 2 ** 40, round: 3, hashB: ethers.ZeroHash });
    await expect(fx.registry.submitEquivocation(...args))
      .to.emit(fx.registry, "CandidateSlashed")
      .withArgs(C, evidenceHash(C, Step.Precommit, 2 ** 40, 3, HASH_A, ethers.ZeroHash), SLASHED, fx.owner.address);
  });

  it("evidence replay: the same evidence, in either order, cannot slash twice", async () => {
    const fx = await loadFixture(registered);
    const [candidate, step, height, round, hashA, sigA, hashB, sigB] = equivocation(C, KEY);
    await fx.registry.submitEquivocation(candidate, step, height, round, hashA, sigA, hashB, sigB);
    await expectNotSlashable(fx, [candidate, step, height, round, hashA, sigA, hashB, sigB], Status.Slashed);
    await expectNotSlashable(fx, [candidate, step, height, round, hashB, sigB, hashA, sigA], Status.Slashed);
    // Other evidence of the same candidate does not slash it again either.
    await expectNotSlashable(fx, equivocation(C, KEY, { height: 8 }), Status.Slashed);
  });

  it("the evidence hash does not depend on the order of the two votes", async () => {
    const fx = await loadFixture(registered);
    const [candidate, step, height, round, hashA, sigA, hashB, sigB] = equivocation(C, KEY);
    await expect(fx.registry.submitEquivocation(candidate, step, height, round, hashB, sigB, hashA, sigA))
      .to.emit(fx.registry, "CandidateSlashed")
      .withArgs(C, evidenceHash(C, step, height, round, hashA, hashB), SLASHED, fx.owner.address);
  });

  it("same hash: two votes for one block are no equivocation", async () => {
    const fx = await loadFixture(registered);
    const sig = nodeVote(KEY, Step.Prevote, 7, 0, HASH_A);
    await expect(fx.registry.submitEquivocation(C, Step.Prevote, 7, 0, HASH_A, sig, HASH_A, sig))
      .to.be.revertedWithCustomError(fx.registry, "CandidateRegistrySameBlockHash")
      .withArgs(HASH_A);
  });

  for (const [name, other] of [
    ["different height", { height: 8, round: 0 }],
    ["different round", { height: 7, round: 1 }],
  ] as const) {
    it(`${name}: votes at another height or round are not conflicting`, async () => {
      const fx = await loadFixture(registered);
      const sigA = nodeVote(KEY, Step.Prevote, 7, 0, HASH_A);
      const sigB = nodeVote(KEY, Step.Prevote, other.height, other.round, HASH_B);
      // Checked as votes at (7, 0), the second signature recovers to some unrelated address.
      await expect(
        fx.registry.submitEquivocation(C, Step.Prevote, 7, 0, HASH_A, sigA, HASH_B, sigB),
      ).to.be.revertedWithCustomError(fx.registry, "CandidateRegistrySignersDiffer");
    });
  }

  it("prevote and precommit of one round are not conflicting, and the step must be 1 or 2", async () => {
    const fx = await loadFixture(registered);
    const sigA = nodeVote(KEY, Step.Prevote, 7, 0, HASH_A);
    const sigB = nodeVote(KEY, Step.Precommit, 7, 0, HASH_B);
    await expect(
      fx.registry.submitEquivocation(C, Step.Prevote, 7, 0, HASH_A, sigA, HASH_B, sigB),
    ).to.be.revertedWithCustomError(fx.registry, "CandidateRegistrySignersDiffer");
    for (const step of [0, 3]) {
      await expect(fx.registry.submitEquivocation(C, step, 7, 0, HASH_A, sigA, HASH_B, sigB))
        .to.be.revertedWithCustomError(fx.registry, "CandidateRegistryInvalidStep")
        .withArgs(step);
    }
  });

  it("other key: votes signed by a key that is not the candidate's slash nobody", async () => {
    const fx = await loadFixture(registered);
    const other = candidateWallet(1);
    await expect(fx.registry.submitEquivocation(...equivocation(C, other)))
      .to.be.revertedWithCustomError(fx.registry, "CandidateRegistryNotCandidateKey")
      .withArgs(C, other.address);
    const stranger = ethers.Wallet.createRandom();
    await expect(fx.registry.submitEquivocation(...equivocation(C, stranger)))
      .to.be.revertedWithCustomError(fx.registry, "CandidateRegistryNotCandidateKey")
      .withArgs(C, stranger.address);
    expect((await fx.registry.getCandidate(C)).status).to.equal(Status.Active);
  });

  it("other chain id: votes signed for another L2 chain are rejected", async () => {
    const fx = await loadFixture(registered);
    const args = equivocation(C, KEY, { chainId: L2_CHAIN_ID + 1n });
    await expect(fx.registry.submitEquivocation(...args)).to.be.revertedWithCustomError(
      fx.registry,
      "CandidateRegistrySignersDiffer",
    );
    // Even one registry bound to that other chain would not accept our chain's votes.
    expect(await fx.registry.l2ChainId()).to.equal(L2_CHAIN_ID);
  });

  it("high-s: the malleable twin of a valid signature is rejected", async () => {
    const fx = await loadFixture(registered);
    const [candidate, step, height, round, hashA, sigA, hashB, sigB] = equivocation(C, KEY);
    const sig = ethers.Signature.from(sigB);
    const highS = ethers.toBeHex(SECP256K1_N - BigInt(sig.s), 32);
    const twin = ethers.concat([sig.r, highS, ethers.toBeHex(sig.v === 27 ? 28 : 27, 1)]);
    await expect(fx.registry.submitEquivocation(candidate, step, height, round, hashA, sigA, hashB, twin))
      .to.be.revertedWithCustomError(fx.registry, "ECDSAInvalidSignatureS")
      .withArgs(highS);
  });

  it("leaving early does not escape: evidence is accepted during unbonding, the remainder refunded after", async () => {
    const fx = await loadFixture(registered);
    const { registry, operator, stranger } = fx;
    await registry.connect(operator).withdraw(C);
    const { refundableAt } = await registry.getCandidate(C);
    const tx = registry.connect(stranger).submitEquivocation(...equivocation(C, KEY));
    await expect(tx).to.emit(registry, "CandidateSlashed");
    await expect(tx).not.to.emit(registry, "CandidateRemoved");
    const record = await registry.getCandidate(C);
    expect(record.status).to.equal(Status.Slashed);
    expect(record.refundableAt).to.equal(refundableAt);
    expect(record.registrationNonce).to.equal(2n);
    await time.increaseTo(refundableAt);
    await expect(registry.refund(C))
      .to.emit(registry, "RefundCredited")
      .withArgs(C, operator.address, MIN_DEPOSIT - SLASHED);
    const settled = await registry.getCandidate(C);
    expect(settled.status).to.equal(Status.Slashed);
    expect(settled.deposit).to.equal(0n);
    await expect(registry.refund(C))
      .to.be.revertedWithCustomError(registry, "CandidateRegistryNotRefundable")
      .withArgs(C, Status.Slashed);
  });

  it("past the unbonding period the deposit is the operator's: no slashing, refunded or not", async () => {
    const fx = await loadFixture(registered);
    await fx.registry.connect(fx.operator).withdraw(C);
    const { refundableAt } = await fx.registry.getCandidate(C);
    // One second before the end it still slashes; at the end (when refund opens) it no longer does.
    const snapshot = await ethers.provider.send("evm_snapshot", []);
    await time.setNextBlockTimestamp(refundableAt - 1n);
    await expect(fx.registry.submitEquivocation(...equivocation(C, KEY))).to.emit(fx.registry, "CandidateSlashed");
    await ethers.provider.send("evm_revert", [snapshot]);
    await time.setNextBlockTimestamp(refundableAt);
    await expectNotSlashable(fx, equivocation(C, KEY), Status.Withdrawn);
    await fx.registry.refund(C);
    await expectNotSlashable(fx, equivocation(C, KEY), Status.Refunded);
  });

  it("a slashed key never registers again, nor does its candidate", async () => {
    const fx = await loadFixture(registered);
    const { registry, domain, auditors, operator } = fx;
    const rotated = ethers.Wallet.createRandom();
    await registry.connect(operator).rotateSigningKey(C, rotated.address, await rotationConsent(fx, C, rotated));
    await registry.submitEquivocation(...equivocation(C, rotated));
    await time.increase(UNBONDING_PERIOD);
    await registry.refund(C);
    const again = await application(registry, domain, auditors.slice(0, 3), C, qualificationHash(0));
    await expect(registry.connect(operator).registerCandidate(again, { value: MIN_DEPOSIT }))
      .to.be.revertedWithCustomError(registry, "CandidateRegistrySlashedKey")
      .withArgs(C, C);
    const asCandidate = await application(
      registry,
      domain,
      auditors.slice(0, 3),
      rotated.address,
      qualificationHash(0),
      {
        consentSigner: rotated,
      },
    );
    await expect(registry.connect(operator).registerCandidate(asCandidate, { value: MIN_DEPOSIT }))
      .to.be.revertedWithCustomError(registry, "CandidateRegistryKeyTaken")
      .withArgs(rotated.address, C);
  });

  it("rotating to dodge slashing: a key rotated away still answers within the unbonding period", async () => {
    const fx = await loadFixture(registered);
    const { registry, operator } = fx;
    const fresh = ethers.Wallet.createRandom();
    await registry.connect(operator).rotateSigningKey(C, fresh.address, await rotationConsent(fx, C, fresh));
    const [, until] = await registry.keyOwner(C);
    const snapshot = await ethers.provider.send("evm_snapshot", []);
    await time.setNextBlockTimestamp(until);
    await expect(registry.submitEquivocation(...equivocation(C, KEY))).to.emit(registry, "CandidateSlashed");
    await ethers.provider.send("evm_revert", [snapshot]);
    await time.setNextBlockTimestamp(until + 1n);
    await expect(registry.submitEquivocation(...equivocation(C, KEY)))
      .to.be.revertedWithCustomError(registry, "CandidateRegistryNotCandidateKey")
      .withArgs(C, KEY.address);
    // The retired key of one candidate never slashes another.
    await expect(registry.submitEquivocation(...equivocation(candidateAddress(1), KEY)))
      .to.be.revertedWithCustomError(registry, "CandidateRegistryNotCandidateKey")
      .withArgs(candidateAddress(1), KEY.address);
  });

  it("with no treasury the slashed amount minus the reward is burned: credited to no one who can withdraw", async () => {
    const fx = await loadFixture(registered);
    const burning = await new CandidateRegistry__factory(fx.owner).deploy(
      fx.owner.address,
      await fx.auditorRegistry.getAddress(),
      {
        minDeposit: MIN_DEPOSIT,
        unbondingPeriod: UNBONDING_PERIOD,
        representativeRule: REPRESENTATIVE_RULE,
        slashFraction: 10_000n,
        l2ChainId: L2_CHAIN_ID,
        treasury: ethers.ZeroAddress,
      },
    );
    const domain = { ...fx.domain, verifyingContract: await burning.getAddress() };
    const app = await application(burning, domain, fx.auditors.slice(0, 3), C, qualificationHash(0));
    await burning.connect(fx.operator).registerCandidate(app, { value: MIN_DEPOSIT });
    await expect(burning.connect(fx.stranger).submitEquivocation(...equivocation(C, KEY)))
      .to.emit(burning, "SlashShareCredited")
      .withArgs(C, ethers.ZeroAddress, MIN_DEPOSIT - MIN_DEPOSIT / 10n);
    expect(await burning.withdrawable(ethers.ZeroAddress)).to.equal(MIN_DEPOSIT - MIN_DEPOSIT / 10n);
    expect((await burning.getCandidate(C)).deposit).to.equal(0n);
  });

  it("a removed, slashed candidate's approvals are dead", async () => {
    const fx = await loadFixture(registered);
    await fx.voteRegistry.connect(fx.voters[0]).vote([C], []);
    await fx.registry.submitEquivocation(...equivocation(C, KEY));
    expect(await fx.voteRegistry.approvalsOf(fx.voters[0].address)).to.deep.equal([[C, 1n, false]]);
  });
});
