import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { signSigningKeyConsent } from "../../node/types/eip712";
import { CallForwarder__factory } from "../../typechain-types";
import {
  MIN_DEPOSIT,
  THRESHOLD,
  UNBONDING_PERIOD,
  application,
  candidateAddress,
  candidateWallet,
  deployFixture,
  qualificationHash,
  registerCandidates,
  rotationConsent,
} from "./fixtures";

const Status = { None: 0, Active: 1, Withdrawn: 2 } as const;

describe("CandidateRegistry: operator-bound credentials and signing keys", () => {
  const C = candidateAddress(0);
  const Q = qualificationHash(0);

  async function oneRegistered() {
    const fx = await deployFixture();
    await registerCandidates(fx, 2);
    return fx;
  }

  describe("registration is bound to the operator and the candidate key", () => {
    it("copied bundle front-run: anyone else sending the operator's bundle reverts and uses up nothing", async () => {
      const { registry, domain, auditors, operator, stranger } = await loadFixture(deployFixture);
      const app = await application(registry, domain, auditors.slice(0, 3), C, Q);
      await expect(registry.connect(stranger).registerCandidate(app, { value: MIN_DEPOSIT }))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryCallerNotOperator")
        .withArgs(stranger.address, operator.address);
      await expect(registry.connect(stranger).registerCandidates([app], { value: MIN_DEPOSIT }))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryCallerNotOperator")
        .withArgs(stranger.address, operator.address);
      expect(await registry.registrationNonce(C)).to.equal(0n);
      expect(await registry.candidateCount()).to.equal(0n);
      await expect(registry.connect(operator).registerCandidate(app, { value: MIN_DEPOSIT })).to.emit(
        registry,
        "CandidateRegistered",
      );
    });

    it("copied bundle with the operator field rewritten: the auditors' signatures no longer match", async () => {
      const { registry, domain, auditors, stranger } = await loadFixture(deployFixture);
      const app = await application(registry, domain, auditors.slice(0, 3), C, Q);
      await expect(
        registry.connect(stranger).registerCandidate({ ...app, operator: stranger.address }, { value: MIN_DEPOSIT }),
      ).to.be.revertedWithCustomError(registry, "CandidateRegistryNotAuditor");
    });

    it("rejects a consent signed by another key, for another operator, or missing", async () => {
      const { registry, domain, auditors, operator, stranger } = await loadFixture(deployFixture);
      const other = candidateWallet(9);
      const byOther = await application(registry, domain, auditors.slice(0, 3), C, Q, { consentSigner: other });
      await expect(registry.connect(operator).registerCandidate(byOther, { value: MIN_DEPOSIT }))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryInvalidConsent")
        .withArgs(other.address, C);
      const forStranger = await application(registry, domain, auditors.slice(0, 3), C, Q, {
        operator: stranger.address,
      });
      const good = await application(registry, domain, auditors.slice(0, 3), C, Q);
      await expect(
        registry
          .connect(operator)
          .registerCandidate({ ...good, consentSignature: forStranger.consentSignature }, { value: MIN_DEPOSIT }),
      ).to.be.revertedWithCustomError(registry, "CandidateRegistryInvalidConsent");
      await expect(
        registry.connect(operator).registerCandidate({ ...good, consentSignature: "0x" }, { value: MIN_DEPOSIT }),
      )
        .to.be.revertedWithCustomError(registry, "ECDSAInvalidSignatureLength")
        .withArgs(0);
      expect(await registry.registrationNonce(C)).to.equal(0n);
    });

    it("rejects a candidate address that is another candidate's signing key", async () => {
      const fx = await loadFixture(oneRegistered);
      const key = candidateWallet(5);
      await fx.registry.connect(fx.operator).rotateSigningKey(C, key.address, await rotationConsent(fx, C, key));
      const app = await application(fx.registry, fx.domain, fx.auditors.slice(0, 3), key.address, Q, {
        consentSigner: key,
      });
      await expect(fx.registry.connect(fx.operator).registerCandidate(app, { value: MIN_DEPOSIT }))
        .to.be.revertedWithCustomError(fx.registry, "CandidateRegistryKeyTaken")
        .withArgs(key.address, C);
    });
  });

  describe("rotateSigningKey", () => {
    it("rotates with the new key's consent; identity stays; effective from this block's snapshot", async () => {
      const fx = await loadFixture(oneRegistered);
      const { registry, operator, voteRegistry, voters } = fx;
      await voteRegistry.connect(voters[0]).vote([C], []);
      const key = ethers.Wallet.createRandom();
      const consent = await rotationConsent(fx, C, key);
      const at = BigInt(await time.latest()) + 5n;
      await time.setNextBlockTimestamp(at);
      const tx = registry.connect(operator).rotateSigningKey(C, key.address, consent);
      const block = BigInt((await ethers.provider.getBlockNumber()) + 1);
      await expect(tx)
        .to.emit(registry, "SigningKeyRotated")
        .withArgs(C, C, key.address, block, at + UNBONDING_PERIOD);
      const record = await registry.getCandidate(C);
      expect(record.signingKey).to.equal(key.address);
      expect(record.status).to.equal(Status.Active);
      expect(record.registrationNonce).to.equal(1n);
      expect(await registry.keyOwner(key.address)).to.deep.equal([C, 0n]);
      expect(await registry.keyOwner(C)).to.deep.equal([C, at + UNBONDING_PERIOD]);
      // A candidate that never rotated signs with its own address.
      expect(await registry.keyOwner(candidateAddress(1))).to.deep.equal([candidateAddress(1), 0n]);
      // The candidate is still C: its approvals stand.
      expect(await voteRegistry.approvalsOf(voters[0].address)).to.deep.equal([[C, 1n, true]]);
      // A second rotation retires the first new key in turn.
      const next = ethers.Wallet.createRandom();
      await mine(1);
      await expect(registry.connect(operator).rotateSigningKey(C, next.address, await rotationConsent(fx, C, next)))
        .to.emit(registry, "SigningKeyRotated")
        .withArgs(C, key.address, next.address, (await ethers.provider.getBlockNumber()) + 1, anyUint());
      expect((await registry.keyOwner(key.address))[0]).to.equal(C);
    });

    it("tx.origin is not the operator: a contract operator rotates with a consent naming the contract", async () => {
      const fx = await loadFixture(deployFixture);
      const { registry, domain, auditors, stranger } = fx;
      const forwarder = await new CallForwarder__factory(stranger).deploy();
      const [relay, target] = [await forwarder.getAddress(), await registry.getAddress()];
      const app = await application(registry, domain, auditors.slice(0, 3), C, qualificationHash(0), {
        operator: relay,
      });
      const register = registry.interface.encodeFunctionData("registerCandidate", [app]);
      await forwarder.forward(target, register, { value: MIN_DEPOSIT });
      const key = ethers.Wallet.createRandom();
      const consent = await rotationConsent(fx, C, key, relay);
      const rotate = registry.interface.encodeFunctionData("rotateSigningKey", [C, key.address, consent]);
      await expect(forwarder.forward(target, rotate)).to.emit(registry, "SigningKeyRotated");
      expect((await registry.getCandidate(C)).signingKey).to.equal(key.address);
    });

    it("rejects a non-operator and an inactive candidate", async () => {
      const fx = await loadFixture(oneRegistered);
      const key = ethers.Wallet.createRandom();
      const consent = await rotationConsent(fx, C, key);
      await expect(fx.registry.connect(fx.stranger).rotateSigningKey(C, key.address, consent))
        .to.be.revertedWithCustomError(fx.registry, "CandidateRegistryNotOperator")
        .withArgs(fx.stranger.address, fx.operator.address);
      await fx.registry.connect(fx.operator).withdraw(C);
      await expect(fx.registry.connect(fx.operator).rotateSigningKey(C, key.address, consent))
        .to.be.revertedWithCustomError(fx.registry, "CandidateRegistryNotActive")
        .withArgs(C, Status.Withdrawn);
    });

    it("rejects a key without its consent, a zero key, and any key ever bound or registered", async () => {
      const fx = await loadFixture(oneRegistered);
      const { registry, operator } = fx;
      const key = ethers.Wallet.createRandom();
      const impostor = ethers.Wallet.createRandom();
      const byImpostor = await signSigningKeyConsent(impostor, fx.domain, {
        candidate: C,
        operator: operator.address,
        signingKey: key.address,
        nonce: 1n,
      });
      await expect(registry.connect(operator).rotateSigningKey(C, key.address, byImpostor))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryInvalidConsent")
        .withArgs(impostor.address, key.address);
      const forOther = await rotationConsent(fx, candidateAddress(1), key);
      await expect(registry.connect(operator).rotateSigningKey(C, key.address, forOther)).to.be.revertedWithCustomError(
        registry,
        "CandidateRegistryInvalidConsent",
      );
      await expect(
        registry.connect(operator).rotateSigningKey(C, ethers.ZeroAddress, "0x"),
      ).to.be.revertedWithCustomError(registry, "CandidateRegistryZeroCandidate");
      const other = candidateWallet(1);
      await expect(registry.connect(operator).rotateSigningKey(C, other.address, await rotationConsent(fx, C, other)))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryKeyTaken")
        .withArgs(other.address, other.address);
      await registry.connect(operator).rotateSigningKey(C, key.address, await rotationConsent(fx, C, key));
      for (const [candidate, taken] of [
        [candidateAddress(1), key],
        [C, candidateWallet(0)],
      ] as const) {
        await expect(
          registry
            .connect(operator)
            .rotateSigningKey(candidate, taken.address, await rotationConsent(fx, candidate, taken)),
        )
          .to.be.revertedWithCustomError(registry, "CandidateRegistryKeyTaken")
          .withArgs(taken.address, C);
      }
    });

    it("keeps the rotated key across a re-registration, whose consent still comes from the identity key", async () => {
      const fx = await loadFixture(oneRegistered);
      const key = ethers.Wallet.createRandom();
      await fx.registry.connect(fx.operator).rotateSigningKey(C, key.address, await rotationConsent(fx, C, key));
      await fx.registry.connect(fx.operator).withdraw(C);
      await time.increase(UNBONDING_PERIOD);
      await fx.registry.refund(C);
      const app = await application(fx.registry, fx.domain, fx.auditors.slice(0, Number(THRESHOLD)), C, Q);
      await fx.registry.connect(fx.operator).registerCandidate(app, { value: MIN_DEPOSIT });
      expect((await fx.registry.getCandidate(C)).signingKey).to.equal(key.address);
    });
  });
});

/** Any uint (the chai matcher for an argument this test does not pin). */
function anyUint() {
  return (value: bigint) => value > 0n;
}
