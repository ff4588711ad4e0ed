import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { CandidateRegistry__factory, ReentrantOperator__factory } from "../../typechain-types";
import { REVOCATION_TYPES, signRevocation } from "../../node/types/eip712";
import {
  MIN_DEPOSIT,
  REPRESENTATIVE_COUNT,
  THRESHOLD,
  UNBONDING_PERIOD,
  application,
  candidateAddress,
  deployFixture,
  qualificationHash,
  registerCandidates,
} from "./fixtures";

const Status = { None: 0, Active: 1, Withdrawn: 2, Revoked: 3, Refunded: 4 } as const;
const Reason = { Withdrawn: 0, Revoked: 1 } as const;
const REASON = ethers.encodeBytes32String("fraud");

describe("CandidateRegistry: removal, refund, parameters, views", () => {
  const C = candidateAddress(0);

  async function threeRegistered() {
    const fx = await deployFixture();
    const candidates = await registerCandidates(fx, 3);
    return { ...fx, candidates };
  }

  describe("withdraw", () => {
    it("removes the candidate and starts the unbonding period", async () => {
      const { registry, operator } = await loadFixture(threeRegistered);
      const at = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(at);
      await expect(registry.connect(operator).withdraw(C))
        .to.emit(registry, "CandidateRemoved")
        .withArgs(C, Reason.Withdrawn, at + UNBONDING_PERIOD);
      const record = await registry.getCandidate(C);
      expect(record.status).to.equal(Status.Withdrawn);
      expect(record.refundableAt).to.equal(at + UNBONDING_PERIOD);
      expect(record.deposit).to.equal(MIN_DEPOSIT);
      expect(await registry.isCandidate(C)).to.equal(false);
      expect(await registry.candidateIndex(C)).to.deep.equal([false, true, 0n]);
    });

    it("rejects a non-operator, a second withdrawal and an unknown candidate", async () => {
      const { registry, operator, stranger } = await loadFixture(threeRegistered);
      await expect(registry.connect(stranger).withdraw(C))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryNotOperator")
        .withArgs(stranger.address, operator.address);
      await registry.connect(operator).withdraw(C);
      await expect(registry.connect(operator).withdraw(C))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryNotActive")
        .withArgs(C, Status.Withdrawn);
      await expect(registry.connect(operator).withdraw(candidateAddress(50)))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryNotActive")
        .withArgs(candidateAddress(50), Status.None);
    });
  });

  describe("revokeCandidate", () => {
    it("lets the owner remove a candidate", async () => {
      const { registry } = await loadFixture(threeRegistered);
      const at = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(at);
      await expect(registry.revokeCandidate(C, REASON))
        .to.emit(registry, "CandidateRemoved")
        .withArgs(C, Reason.Revoked, at + UNBONDING_PERIOD);
      expect((await registry.getCandidate(C)).status).to.equal(Status.Revoked);
    });

    it("rejects a non-owner and an inactive candidate", async () => {
      const { registry, stranger } = await loadFixture(threeRegistered);
      await expect(registry.connect(stranger).revokeCandidate(C, REASON))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(stranger.address);
      await registry.revokeCandidate(C, REASON);
      await expect(registry.revokeCandidate(C, REASON))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryNotActive")
        .withArgs(C, Status.Revoked);
    });
  });

  describe("revokeCandidateBySig", () => {
    async function revocationSigs(
      fx: Awaited<ReturnType<typeof threeRegistered>>,
      signers: typeof fx.auditors,
      nonce?: bigint,
    ) {
      const revocation = { candidate: C, reason: REASON, nonce: nonce ?? (await fx.registry.registrationNonce(C)) };
      return Promise.all(signers.map((s) => signRevocation(s, fx.domain, revocation)));
    }

    it("removes a candidate on M auditors' signatures, relayed by anyone", async () => {
      const fx = await loadFixture(threeRegistered);
      const sigs = await revocationSigs(fx, [fx.auditors[4], fx.auditors[2], fx.auditors[0]]);
      const at = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(at);
      await expect(fx.registry.connect(fx.stranger).revokeCandidateBySig(C, REASON, sigs))
        .to.emit(fx.registry, "CandidateRemoved")
        .withArgs(C, Reason.Revoked, at + UNBONDING_PERIOD);
      await expect(fx.registry.revokeCandidateBySig(C, REASON, sigs))
        .to.be.revertedWithCustomError(fx.registry, "CandidateRegistryNotActive")
        .withArgs(C, Status.Revoked);
    });

    it("rejects fewer than M, a non-auditor, a duplicate and a signature over another reason", async () => {
      const fx = await loadFixture(threeRegistered);
      const { registry, auditors, stranger } = fx;
      const two = await revocationSigs(fx, auditors.slice(0, 2));
      await expect(registry.revokeCandidateBySig(C, REASON, two))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryInsufficientSignatures")
        .withArgs(2, THRESHOLD);
      const forged = await revocationSigs(fx, [auditors[0], stranger, auditors[1]]);
      await expect(registry.revokeCandidateBySig(C, REASON, forged))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryNotAuditor")
        .withArgs(stranger.address);
      const dup = await revocationSigs(fx, [auditors[0], auditors[1], auditors[1]]);
      await expect(registry.revokeCandidateBySig(C, REASON, dup))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryDuplicateAuditor")
        .withArgs(auditors[1].address);
      const good = await revocationSigs(fx, auditors.slice(0, 3));
      const otherReason = ethers.encodeBytes32String("other");
      const recovered = ethers.verifyTypedData(
        fx.domain,
        REVOCATION_TYPES,
        { candidate: C, reason: otherReason, nonce: 1n },
        good[0],
      );
      await expect(registry.revokeCandidateBySig(C, otherReason, good))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryNotAuditor")
        .withArgs(recovered);
      expect(await registry.isCandidate(C)).to.equal(true);
    });

    it("rejects a revocation signed for an earlier registration (nonce)", async () => {
      const fx = await loadFixture(threeRegistered);
      const old = await revocationSigs(fx, fx.auditors.slice(0, 3));
      await fx.registry.connect(fx.operator).withdraw(C);
      await time.increase(UNBONDING_PERIOD);
      await fx.registry.refund(C);
      const app = await application(fx.registry, fx.domain, fx.auditors.slice(0, 3), C, qualificationHash(0));
      await fx.registry.connect(fx.operator).registerCandidate(app, { value: MIN_DEPOSIT });
      const recovered = ethers.verifyTypedData(
        fx.domain,
        REVOCATION_TYPES,
        { candidate: C, reason: REASON, nonce: 2n },
        old[0],
      );
      await expect(fx.registry.revokeCandidateBySig(C, REASON, old))
        .to.be.revertedWithCustomError(fx.registry, "CandidateRegistryNotAuditor")
        .withArgs(recovered);
    });
  });

  describe("refund", () => {
    it("pays the deposit to the operator (not the caller) after the delay, once", async () => {
      const { registry, operator, stranger } = await loadFixture(threeRegistered);
      await registry.connect(operator).withdraw(C);
      const { refundableAt } = await registry.getCandidate(C);
      await time.setNextBlockTimestamp(refundableAt);
      const tx = registry.connect(stranger).refund(C);
      await expect(tx).to.emit(registry, "DepositRefunded").withArgs(C, operator.address, MIN_DEPOSIT);
      await expect(tx).to.changeEtherBalances([registry, operator, stranger], [-MIN_DEPOSIT, MIN_DEPOSIT, 0]);
      const record = await registry.getCandidate(C);
      expect(record.status).to.equal(Status.Refunded);
      expect(record.deposit).to.equal(0n);
      expect(record.refundableAt).to.equal(0n);
      await expect(registry.refund(C))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryNotRefundable")
        .withArgs(C, Status.Refunded);
    });

    it("pays a revoked candidate's deposit too", async () => {
      const { registry, operator } = await loadFixture(threeRegistered);
      await registry.revokeCandidate(C, REASON);
      await time.increase(UNBONDING_PERIOD);
      await expect(registry.refund(C)).to.changeEtherBalance(operator, MIN_DEPOSIT);
    });

    it("rejects a refund before the delay, of an active and of an unknown candidate", async () => {
      const { registry, operator } = await loadFixture(threeRegistered);
      await expect(registry.refund(C))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryNotRefundable")
        .withArgs(C, Status.Active);
      await expect(registry.refund(candidateAddress(77)))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryNotRefundable")
        .withArgs(candidateAddress(77), Status.None);
      await registry.connect(operator).withdraw(C);
      const { refundableAt } = await registry.getCandidate(C);
      await time.setNextBlockTimestamp(refundableAt - 1n);
      await expect(registry.refund(C))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryRefundNotDue")
        .withArgs(C, refundableAt);
    });

    async function reentrantOperator() {
      const fx = await deployFixture();
      const attacker = await new ReentrantOperator__factory(fx.stranger).deploy(await fx.registry.getAddress());
      const app = await application(fx.registry, fx.domain, fx.auditors.slice(0, 3), C, qualificationHash(0));
      await attacker.register(app, { value: MIN_DEPOSIT });
      // An honest candidate keeps another deposit in the contract for the attacker to aim at.
      const honest = await application(
        fx.registry,
        fx.domain,
        fx.auditors.slice(0, 3),
        candidateAddress(1),
        qualificationHash(1),
      );
      await fx.registry.connect(fx.operator).registerCandidate(honest, { value: MIN_DEPOSIT });
      await attacker.withdraw();
      await time.increase(UNBONDING_PERIOD);
      return { ...fx, attacker };
    }

    it("pays a reentering operator contract once: its nested refund fails", async () => {
      const { registry, attacker } = await loadFixture(reentrantOperator);
      expect((await registry.getCandidate(C)).operator).to.equal(await attacker.getAddress());
      expect(await ethers.provider.getBalance(registry)).to.equal(MIN_DEPOSIT * 2n);
      await expect(registry.refund(C)).to.changeEtherBalance(attacker, MIN_DEPOSIT);
      expect(await ethers.provider.getBalance(registry)).to.equal(MIN_DEPOSIT);
      expect(await attacker.received()).to.equal(MIN_DEPOSIT);
      const selector = registry.interface.getError("ReentrancyGuardReentrantCall")!.selector;
      expect(await attacker.reentryError()).to.equal(selector);
    });

    it("changes nothing when the operator refuses the payment", async () => {
      const { registry, attacker } = await loadFixture(reentrantOperator);
      await attacker.setRejectPayment(true);
      await expect(registry.refund(C)).to.be.revertedWithCustomError(attacker, "ReentrantOperatorRejects");
      const record = await registry.getCandidate(C);
      expect(record.status).to.equal(Status.Withdrawn);
      expect(record.deposit).to.equal(MIN_DEPOSIT);
    });
  });

  describe("governed parameters", () => {
    it("emits the parameter events at deployment", async () => {
      const { registry } = await loadFixture(deployFixture);
      const tx = registry.deploymentTransaction()!;
      await expect(tx).to.emit(registry, "MinDepositChanged").withArgs(MIN_DEPOSIT);
      await expect(tx).to.emit(registry, "UnbondingPeriodChanged").withArgs(UNBONDING_PERIOD);
      await expect(tx).to.emit(registry, "RepresentativeCountChanged").withArgs(REPRESENTATIVE_COUNT);
    });

    it("lets the owner set each parameter, with its event", async () => {
      const { registry } = await loadFixture(deployFixture);
      await expect(registry.setMinDeposit(5n)).to.emit(registry, "MinDepositChanged").withArgs(5n);
      await expect(registry.setUnbondingPeriod(0)).to.emit(registry, "UnbondingPeriodChanged").withArgs(0);
      await expect(registry.setRepresentativeCount(1000))
        .to.emit(registry, "RepresentativeCountChanged")
        .withArgs(1000);
      expect(await registry.minDeposit()).to.equal(5n);
      expect(await registry.unbondingPeriod()).to.equal(0n);
      expect(await registry.representativeCount()).to.equal(1000n);
    });

    it("rejects out-of-range values and non-owners", async () => {
      const { registry, stranger } = await loadFixture(deployFixture);
      const tooBig = 2n ** 96n; // deposits are stored in 96 bits (79 billion ether)
      for (const v of [0n, tooBig]) {
        await expect(registry.setMinDeposit(v))
          .to.be.revertedWithCustomError(registry, "CandidateRegistryInvalidMinDeposit")
          .withArgs(v);
      }
      const year = 365n * 24n * 3600n;
      await expect(registry.setUnbondingPeriod(year + 1n))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryInvalidUnbondingPeriod")
        .withArgs(year + 1n);
      for (const v of [0n, 1001n]) {
        await expect(registry.setRepresentativeCount(v))
          .to.be.revertedWithCustomError(registry, "CandidateRegistryInvalidRepresentativeCount")
          .withArgs(v);
      }
      const asStranger = registry.connect(stranger);
      for (const call of [
        () => asStranger.setMinDeposit(1),
        () => asStranger.setUnbondingPeriod(1),
        () => asStranger.setRepresentativeCount(1),
      ]) {
        await expect(call())
          .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
          .withArgs(stranger.address);
      }
    });

    it("rejects bad parameters at deployment", async () => {
      const { owner, auditorRegistry } = await loadFixture(deployFixture);
      const factory = new CandidateRegistry__factory(owner);
      await expect(factory.deploy(owner.address, await auditorRegistry.getAddress(), 0, 1, 1))
        .to.be.revertedWithCustomError(factory, "CandidateRegistryInvalidMinDeposit")
        .withArgs(0);
    });
  });

  describe("views", () => {
    it("pages through the listing", async () => {
      const { registry, candidates } = await loadFixture(threeRegistered);
      expect(await registry.candidateCount()).to.equal(3n);
      expect(await registry.candidates(0, 2)).to.deep.equal(candidates.slice(0, 2));
      expect(await registry.candidates(2, 5)).to.deep.equal(candidates.slice(2));
      expect(await registry.candidates(3, 1)).to.deep.equal([]);
      expect(await registry.candidates(0, ethers.MaxUint256)).to.deep.equal(candidates);
      expect(await registry.candidateAt(1)).to.equal(candidates[1]);
    });

    it("describes an unknown address as all zero", async () => {
      const { registry, auditorRegistry } = await loadFixture(deployFixture);
      const record = await registry.getCandidate(C);
      expect(record.operator).to.equal(ethers.ZeroAddress);
      expect(record.status).to.equal(Status.None);
      expect(await registry.candidateIndex(C)).to.deep.equal([false, false, 0n]);
      expect(await registry.registrationNonce(C)).to.equal(0n);
      expect(await registry.auditorRegistry()).to.equal(await auditorRegistry.getAddress());
    });
  });
});
