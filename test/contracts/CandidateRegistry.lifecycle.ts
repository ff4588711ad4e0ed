import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { CallForwarder__factory, CandidateRegistry__factory, ReentrantOperator__factory } from "../../typechain-types";
import { REVOCATION_TYPES, signRevocation } from "../../node/types/eip712";
import {
  L2_CHAIN_ID,
  MIN_DEPOSIT,
  REPRESENTATIVE_RULE,
  THRESHOLD,
  UNBONDING_PERIOD,
  application,
  candidateAddress,
  deployFixture,
  qualificationHash,
  registerCandidates,
  renewalApplication,
  rotationConsent,
  walletOf,
} from "./fixtures";

const Status = { None: 0, Active: 1, Withdrawn: 2, Revoked: 3, Refunded: 4, Slashed: 5 } as const;
const Reason = { Withdrawn: 0, RevokedByOwner: 1, RevokedByAuditors: 2, Slashed: 3 } as const;
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
        .withArgs(C, Reason.Withdrawn, operator.address, ethers.ZeroHash, at + UNBONDING_PERIOD, 2n);
      const record = await registry.getCandidate(C);
      expect(record.status).to.equal(Status.Withdrawn);
      expect(record.refundableAt).to.equal(at + UNBONDING_PERIOD);
      expect(record.deposit).to.equal(MIN_DEPOSIT);
      expect(await registry.isCandidate(C)).to.equal(false);
      expect(await registry.candidateIndex(C)).to.deep.equal([false, true, 0n, 2n]);
      expect(await registry.registrationNonce(C)).to.equal(2n);
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

    it("tx.origin is not the caller: a contract that is not the operator is named as the sender it is", async () => {
      const { registry, operator, stranger } = await loadFixture(threeRegistered);
      const forwarder = await new CallForwarder__factory(stranger).deploy();
      const data = registry.interface.encodeFunctionData("withdraw", [C]);
      await expect(forwarder.connect(stranger).forward(await registry.getAddress(), data))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryNotOperator")
        .withArgs(await forwarder.getAddress(), operator.address);
    });
  });

  describe("revokeCandidate", () => {
    it("lets the owner remove a candidate, keeping the reason and the remover in the event", async () => {
      const { registry, owner } = await loadFixture(threeRegistered);
      const at = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(at);
      await expect(registry.revokeCandidate(C, REASON))
        .to.emit(registry, "CandidateRemoved")
        .withArgs(C, Reason.RevokedByOwner, owner.address, REASON, at + UNBONDING_PERIOD, 2n);
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
        .withArgs(C, Reason.RevokedByAuditors, fx.stranger.address, REASON, at + UNBONDING_PERIOD, 2n);
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

    it("rotating to dodge revocation: renewing and rotating the key leave signed revocations valid", async () => {
      const fx = await loadFixture(threeRegistered);
      const sigs = await revocationSigs(fx, fx.auditors.slice(0, 3));
      const renewal = await renewalApplication(
        fx.registry,
        fx.domain,
        fx.auditors.slice(0, 3),
        C,
        qualificationHash(0),
      );
      await fx.registry.connect(fx.operator).renewCredentials(renewal);
      const fresh = ethers.Wallet.createRandom();
      await fx.registry.connect(fx.operator).rotateSigningKey(C, fresh.address, await rotationConsent(fx, C, fresh));
      await expect(fx.registry.connect(fx.stranger).revokeCandidateBySig(C, REASON, sigs)).to.emit(
        fx.registry,
        "CandidateRemoved",
      );
      expect((await fx.registry.getCandidate(C)).status).to.equal(Status.Revoked);
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
        { candidate: C, reason: REASON, nonce: 3n },
        old[0],
      );
      await expect(fx.registry.revokeCandidateBySig(C, REASON, old))
        .to.be.revertedWithCustomError(fx.registry, "CandidateRegistryNotAuditor")
        .withArgs(recovered);
    });
  });

  describe("refund and withdrawRefund (pull payments)", () => {
    it("refund(candidate) by anyone after the delay credits the operator, once; the operator withdraws anywhere", async () => {
      const { registry, operator, stranger } = await loadFixture(threeRegistered);
      await registry.connect(operator).withdraw(C);
      const { refundableAt } = await registry.getCandidate(C);
      await time.setNextBlockTimestamp(refundableAt);
      const tx = registry.connect(stranger).refund(C);
      await expect(tx).to.emit(registry, "RefundCredited").withArgs(C, operator.address, MIN_DEPOSIT);
      await expect(tx).to.changeEtherBalances([registry, operator, stranger], [0, 0, 0]);
      const record = await registry.getCandidate(C);
      expect(record.status).to.equal(Status.Refunded);
      expect(record.deposit).to.equal(0n);
      expect(record.refundableAt).to.equal(0n);
      expect(await registry.withdrawable(operator.address)).to.equal(MIN_DEPOSIT);
      await expect(registry.refund(C))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryNotRefundable")
        .withArgs(C, Status.Refunded);
      const pay = registry.connect(operator).withdrawRefund(stranger.address);
      await expect(pay).to.emit(registry, "RefundWithdrawn").withArgs(operator.address, stranger.address, MIN_DEPOSIT);
      await expect(pay).to.changeEtherBalances([registry, stranger], [-MIN_DEPOSIT, MIN_DEPOSIT]);
      expect(await registry.withdrawable(operator.address)).to.equal(0n);
      await expect(registry.connect(operator).withdrawRefund(operator.address))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryNothingToWithdraw")
        .withArgs(operator.address);
      await expect(registry.connect(operator).withdrawRefund(ethers.ZeroAddress)).to.be.revertedWithCustomError(
        registry,
        "CandidateRegistryZeroRecipient",
      );
    });

    it("credits a revoked candidate's deposit too, and sums several credits", async () => {
      const { registry, operator, candidates } = await loadFixture(threeRegistered);
      await registry.revokeCandidate(C, REASON);
      await registry.connect(operator).withdraw(candidates[1]);
      await time.increase(UNBONDING_PERIOD);
      await registry.refund(C);
      await registry.refund(candidates[1]);
      expect(await registry.withdrawable(operator.address)).to.equal(MIN_DEPOSIT * 2n);
      await expect(registry.connect(operator).withdrawRefund(operator.address)).to.changeEtherBalance(
        operator,
        MIN_DEPOSIT * 2n,
      );
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

    async function contractOperator() {
      const fx = await deployFixture();
      const attacker = await new ReentrantOperator__factory(fx.stranger).deploy(await fx.registry.getAddress());
      const app = await application(fx.registry, fx.domain, fx.auditors.slice(0, 3), C, qualificationHash(0), {
        operator: await attacker.getAddress(),
      });
      await attacker.register(app, { value: MIN_DEPOSIT });
      // An honest candidate keeps another deposit in the contract for the attacker to aim at.
      await registerCandidates(fx, 1, 1);
      await attacker.withdraw();
      await time.increase(UNBONDING_PERIOD);
      return { ...fx, attacker };
    }

    it("reentrant operator: a nested withdrawal finds a zero balance and gets nothing more", async () => {
      const { registry, attacker } = await loadFixture(contractOperator);
      expect((await registry.getCandidate(C)).operator).to.equal(await attacker.getAddress());
      await registry.refund(C);
      const self = await attacker.getAddress();
      const pay = attacker.withdrawRefund(self);
      await expect(pay).to.changeEtherBalance(attacker, MIN_DEPOSIT);
      // The event names the contract that withdrew (msg.sender), not the account behind the transaction.
      await expect(pay).to.emit(registry, "RefundWithdrawn").withArgs(self, self, MIN_DEPOSIT);
      expect(await ethers.provider.getBalance(registry)).to.equal(MIN_DEPOSIT);
      expect(await attacker.received()).to.equal(MIN_DEPOSIT);
      const error = registry.interface.encodeErrorResult("CandidateRegistryNothingToWithdraw", [
        await attacker.getAddress(),
      ]);
      expect(await attacker.reentryError()).to.equal(error);
    });

    it("ETH-rejecting operator: blocks nothing; its credit waits for an address that accepts it", async () => {
      const { registry, attacker, auditors, domain, operator, stranger } = await loadFixture(contractOperator);
      await attacker.setRejectPayment(true);
      await expect(registry.connect(stranger).refund(C))
        .to.emit(registry, "RefundCredited")
        .withArgs(C, await attacker.getAddress(), MIN_DEPOSIT);
      expect((await registry.getCandidate(C)).status).to.equal(Status.Refunded);
      // The candidate's address is free again, whoever operates it next.
      const again = await application(registry, domain, auditors.slice(0, 3), C, qualificationHash(0));
      await expect(registry.connect(operator).registerCandidate(again, { value: MIN_DEPOSIT })).to.emit(
        registry,
        "CandidateRegistered",
      );
      await expect(attacker.withdrawRefund(await attacker.getAddress())).to.be.revertedWithCustomError(
        attacker,
        "ReentrantOperatorRejects",
      );
      expect(await registry.withdrawable(await attacker.getAddress())).to.equal(MIN_DEPOSIT);
      await expect(attacker.withdrawRefund(stranger.address)).to.changeEtherBalance(stranger, MIN_DEPOSIT);
    });
  });

  describe("governed parameters", () => {
    it("emits the parameter events at deployment, old value 0", async () => {
      const { registry } = await loadFixture(deployFixture);
      const tx = registry.deploymentTransaction()!;
      const { minRepresentatives, maxRepresentatives, candidatesPerSeat } = REPRESENTATIVE_RULE;
      await expect(tx).to.emit(registry, "MinDepositChanged").withArgs(0, MIN_DEPOSIT);
      await expect(tx).to.emit(registry, "UnbondingPeriodChanged").withArgs(0, UNBONDING_PERIOD);
      await expect(tx)
        .to.emit(registry, "RepresentativeRuleChanged")
        .withArgs(0, 0, 0, minRepresentatives, maxRepresentatives, candidatesPerSeat);
      await expect(tx).to.emit(registry, "SlashFractionChanged").withArgs(0, 500);
      expect(await registry.l2ChainId()).to.equal(L2_CHAIN_ID);
    });

    it("lets the owner set each parameter, with old and new value in its event", async () => {
      const { registry } = await loadFixture(deployFixture);
      await expect(registry.setMinDeposit(5n)).to.emit(registry, "MinDepositChanged").withArgs(MIN_DEPOSIT, 5n);
      await expect(registry.setUnbondingPeriod(0))
        .to.emit(registry, "UnbondingPeriodChanged")
        .withArgs(UNBONDING_PERIOD, 0);
      const rule = { minRepresentatives: 3n, maxRepresentatives: 1000n, candidatesPerSeat: 0n };
      await expect(registry.setRepresentativeRule(rule))
        .to.emit(registry, "RepresentativeRuleChanged")
        .withArgs(2, 5, 2, 3, 1000, 0);
      await expect(registry.setSlashFraction(10_000)).to.emit(registry, "SlashFractionChanged").withArgs(500, 10_000);
      expect(await registry.minDeposit()).to.equal(5n);
      expect(await registry.unbondingPeriod()).to.equal(0n);
      expect(await registry.representativeRule()).to.deep.equal([3n, 1000n, 0n]);
      expect(await registry.slashFraction()).to.equal(10_000n);
    });

    it("computes K = min(max, max(min, ceil(eligible / candidatesPerSeat))), perSeat 0 meaning max", async () => {
      const { registry } = await loadFixture(deployFixture);
      // min 2, max 5, 2 candidates per seat
      const expected: [number, number][] = [
        [0, 2],
        [1, 2],
        [4, 2],
        [5, 3],
        [6, 3],
        [7, 4],
        [9, 5],
        [10, 5],
        [99, 5],
      ];
      for (const [eligible, k] of expected) expect(await registry.representativeCount(eligible)).to.equal(BigInt(k));
      await registry.setRepresentativeRule({ minRepresentatives: 1n, maxRepresentatives: 7n, candidatesPerSeat: 0n });
      expect(await registry.representativeCount(0)).to.equal(7n);
      expect(await registry.representativeCount(100)).to.equal(7n);
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
      // The bounds themselves are in range.
      await expect(registry.setMinDeposit(tooBig - 1n)).to.emit(registry, "MinDepositChanged");
      const edge = { minRepresentatives: 1000n, maxRepresentatives: 1000n, candidatesPerSeat: 1000n };
      await expect(registry.setRepresentativeRule(edge)).to.emit(registry, "RepresentativeRuleChanged");
      await expect(registry.setUnbondingPeriod(year)).to.emit(registry, "UnbondingPeriodChanged");
      await expect(registry.setUnbondingPeriod(year + 1n))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryInvalidUnbondingPeriod")
        .withArgs(year + 1n);
      for (const [low, high, perSeat] of [
        [0n, 5n, 1n],
        [6n, 5n, 1n],
        [1n, 1001n, 1n],
        [1n, 5n, 1001n],
      ]) {
        await expect(
          registry.setRepresentativeRule({
            minRepresentatives: low,
            maxRepresentatives: high,
            candidatesPerSeat: perSeat,
          }),
        )
          .to.be.revertedWithCustomError(registry, "CandidateRegistryInvalidRepresentativeRule")
          .withArgs(low, high, perSeat);
      }
      await expect(registry.setSlashFraction(10_001))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryInvalidSlashFraction")
        .withArgs(10_001);
      const asStranger = registry.connect(stranger);
      for (const call of [
        () => asStranger.setMinDeposit(1),
        () => asStranger.setUnbondingPeriod(1),
        () => asStranger.setRepresentativeRule(REPRESENTATIVE_RULE),
        () => asStranger.setSlashFraction(1),
        () => asStranger.revokeCandidate(C, REASON),
      ]) {
        await expect(call())
          .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
          .withArgs(stranger.address);
      }
    });

    it("rejects bad parameters and a zero L2 chain id at deployment", async () => {
      const { owner, auditorRegistry } = await loadFixture(deployFixture);
      const factory = new CandidateRegistry__factory(owner);
      const settings = {
        minDeposit: 0n,
        unbondingPeriod: 1n,
        representativeRule: REPRESENTATIVE_RULE,
        slashFraction: 500n,
        l2ChainId: L2_CHAIN_ID,
        treasury: ethers.ZeroAddress,
      };
      await expect(factory.deploy(owner.address, await auditorRegistry.getAddress(), settings))
        .to.be.revertedWithCustomError(factory, "CandidateRegistryInvalidMinDeposit")
        .withArgs(0);
      await expect(
        factory.deploy(owner.address, await auditorRegistry.getAddress(), {
          ...settings,
          minDeposit: 1n,
          l2ChainId: 0n,
        }),
      ).to.be.revertedWithCustomError(factory, "CandidateRegistryInvalidL2ChainId");
    });

    it("cannot lose its owner: renounceOwnership is disabled", async () => {
      const { registry, owner } = await loadFixture(deployFixture);
      await expect(registry.renounceOwnership()).to.be.revertedWithCustomError(
        registry,
        "CandidateRegistryRenounceDisabled",
      );
      expect(await registry.owner()).to.equal(owner.address);
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
      const { registry, auditorRegistry, treasury } = await loadFixture(deployFixture);
      const record = await registry.getCandidate(C);
      expect([...record]).to.deep.equal([ethers.ZeroAddress, ethers.ZeroAddress, 0n, 0n, 0n, 0n, 0n]);
      expect(record.operator).to.equal(ethers.ZeroAddress);
      expect(record.signingKey).to.equal(ethers.ZeroAddress);
      expect(record.status).to.equal(Status.None);
      expect(await registry.candidateIndex(C)).to.deep.equal([false, false, 0n, 0n]);
      expect(await registry.registrationNonce(C)).to.equal(0n);
      expect(await registry.keyOwner(C)).to.deep.equal([ethers.ZeroAddress, 0n]);
      expect(await registry.auditorRegistry()).to.equal(await auditorRegistry.getAddress());
      expect(await registry.treasury()).to.equal(treasury.address);
      // The published default (issue 10): 5 % of the deposit.
      expect(await registry.DEFAULT_SLASH_FRACTION()).to.equal(500n);
      expect(walletOf(C).address).to.equal(C);
    });
  });
});
