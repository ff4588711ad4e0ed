import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import { CandidateRegistry__factory } from "../../typechain-types";
import { CREDENTIAL_TYPES, auditorSignature, signCredential } from "../../node/types/eip712";
import {
  MIN_DEPOSIT,
  THRESHOLD,
  UNBONDING_PERIOD,
  L2_CHAIN_ID,
  REPRESENTATIVE_RULE,
  application,
  candidateAddress,
  candidateWallet,
  consentFor,
  credentialFor,
  deployFixture,
  qualificationHash,
  renewalApplication,
} from "./fixtures";

const SECP256K1_N = BigInt("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
const Status = { None: 0, Active: 1, Withdrawn: 2, Revoked: 3, Refunded: 4, Slashed: 5 } as const;

describe("CandidateRegistry: registration", () => {
  const C = candidateAddress(0);
  const Q = qualificationHash(0);

  describe("registerCandidate", () => {
    it("registers with M auditor credentials, escrows the deposit and lists the candidate", async () => {
      const { registry, domain, auditors, operator } = await loadFixture(deployFixture);
      const app = await application(registry, domain, auditors.slice(0, 3), C, Q);
      const expiry = app.signatures[0].expiresAt;
      const tx = registry.connect(operator).registerCandidate(app, { value: MIN_DEPOSIT });
      await expect(tx)
        .to.emit(registry, "CandidateRegistered")
        .withArgs(C, operator.address, MIN_DEPOSIT, Q, expiry, 1n);
      await expect(tx).to.changeEtherBalances([operator, registry], [-MIN_DEPOSIT, MIN_DEPOSIT]);
      const record = await registry.getCandidate(C);
      expect(record.operator).to.equal(operator.address);
      expect(record.deposit).to.equal(MIN_DEPOSIT);
      expect(record.signingKey).to.equal(C);
      expect(record.registrationNonce).to.equal(1n);
      expect(record.credentialExpiry).to.equal(expiry);
      expect(record.status).to.equal(Status.Active);
      expect(record.refundableAt).to.equal(0n);
      expect(await registry.isCandidate(C)).to.equal(true);
      expect(await registry.registrationNonce(C)).to.equal(1n);
      expect(await registry.candidateCount()).to.equal(1n);
      expect(await registry.candidateAt(0)).to.equal(C);
      expect(await registry.candidateIndex(C)).to.deep.equal([true, true, 0n, 1n]);
    });

    it("accepts signatures in any order, more than M, and takes the earliest expiry", async () => {
      const { registry, domain, auditors, operator } = await loadFixture(deployFixture);
      const now = BigInt(await time.latest());
      const expiries = [now + 5000n, now + 3000n, now + 9000n, now + 4000n];
      const signatures = [];
      for (const [i, auditor] of [auditors[3], auditors[0], auditors[4], auditors[2]].entries()) {
        const credential = await credentialFor(registry, C, Q, { expiresAt: expiries[i] });
        signatures.push(auditorSignature(credential, await signCredential(auditor, domain, credential)));
      }
      const consentSignature = await consentFor(domain, await credentialFor(registry, C, Q));
      const app = { candidate: C, operator: operator.address, qualificationHash: Q, signatures, consentSignature };
      await expect(registry.connect(operator).registerCandidate(app, { value: MIN_DEPOSIT * 2n }))
        .to.emit(registry, "CandidateRegistered")
        .withArgs(C, operator.address, MIN_DEPOSIT * 2n, Q, now + 3000n, 1n);
      expect((await registry.getCandidate(C)).deposit).to.equal(MIN_DEPOSIT * 2n);
    });

    it("stores a credential expiry beyond 40 bits as the 40-bit maximum (no block time reaches it)", async () => {
      const { registry, domain, auditors, operator } = await loadFixture(deployFixture);
      const never = 2n ** 64n - 1n;
      const app = await application(registry, domain, auditors.slice(0, 3), C, Q, { expiresAt: never });
      await expect(registry.connect(operator).registerCandidate(app, { value: MIN_DEPOSIT }))
        .to.emit(registry, "CandidateRegistered")
        .withArgs(C, operator.address, MIN_DEPOSIT, Q, 2n ** 40n - 1n, 1n);
      expect((await registry.getCandidate(C)).credentialExpiry).to.equal(2n ** 40n - 1n);
    });

    it("rejects a deposit that does not fit the 96-bit escrow", async () => {
      const { registry, domain, auditors, operator } = await loadFixture(deployFixture);
      const huge = 2n ** 96n;
      await setBalance(operator.address, huge * 2n);
      const app = await application(registry, domain, auditors.slice(0, 3), C, Q);
      await expect(registry.connect(operator).registerCandidate(app, { value: huge }))
        .to.be.revertedWithCustomError(registry, "SafeCastOverflowedUintDowncast")
        .withArgs(96, huge);
    });

    it("rejects a forged signature (signer not an auditor)", async () => {
      const { registry, domain, auditors, operator, stranger } = await loadFixture(deployFixture);
      const app = await application(registry, domain, [auditors[0], stranger, auditors[1]], C, Q);
      await expect(registry.connect(operator).registerCandidate(app, { value: MIN_DEPOSIT }))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryNotAuditor")
        .withArgs(stranger.address);
    });

    it("rejects a signature from a removed auditor", async () => {
      const { registry, auditorRegistry, domain, auditors, operator } = await loadFixture(deployFixture);
      await auditorRegistry.removeAuditor(auditors[1].address);
      const app = await application(registry, domain, auditors.slice(0, 3), C, Q);
      await expect(registry.connect(operator).registerCandidate(app, { value: MIN_DEPOSIT }))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryNotAuditor")
        .withArgs(auditors[1].address);
    });

    it("rejects the same auditor twice", async () => {
      const { registry, domain, auditors, operator } = await loadFixture(deployFixture);
      const app = await application(registry, domain, [auditors[0], auditors[1], auditors[0]], C, Q);
      await expect(registry.connect(operator).registerCandidate(app, { value: MIN_DEPOSIT }))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryDuplicateAuditor")
        .withArgs(auditors[0].address);
    });

    it("rejects a non-approving credential, even beside M approving ones", async () => {
      const { registry, domain, auditors, operator } = await loadFixture(deployFixture);
      const app = await application(registry, domain, auditors.slice(0, 3), C, Q);
      const no = await credentialFor(registry, C, Q, { approve: false });
      app.signatures.push(auditorSignature(no, await signCredential(auditors[3], domain, no)));
      await expect(registry.connect(operator).registerCandidate(app, { value: MIN_DEPOSIT }))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryCredentialNotApproving")
        .withArgs(3);
    });

    it("rejects fewer than M signatures", async () => {
      const { registry, domain, auditors, operator } = await loadFixture(deployFixture);
      const app = await application(registry, domain, auditors.slice(0, 2), C, Q);
      await expect(registry.connect(operator).registerCandidate(app, { value: MIN_DEPOSIT }))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryInsufficientSignatures")
        .withArgs(2, THRESHOLD);
      const none = { ...app, signatures: [] };
      await expect(registry.connect(operator).registerCandidate(none, { value: MIN_DEPOSIT }))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryInsufficientSignatures")
        .withArgs(0, THRESHOLD);
    });

    it("rejects an expired credential (expiresAt equal to the block time counts as expired)", async () => {
      const { registry, domain, auditors, operator } = await loadFixture(deployFixture);
      const now = BigInt(await time.latest());
      const app = await application(registry, domain, auditors.slice(0, 3), C, Q, { expiresAt: now + 10n });
      await time.setNextBlockTimestamp(now + 10n);
      await expect(registry.connect(operator).registerCandidate(app, { value: MIN_DEPOSIT }))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryCredentialExpired")
        .withArgs(0, now + 10n);
    });

    it("rejects a credential not yet valid", async () => {
      const { registry, domain, auditors, operator } = await loadFixture(deployFixture);
      const now = BigInt(await time.latest());
      const app = await application(registry, domain, auditors.slice(0, 3), C, Q);
      const early = await credentialFor(registry, C, Q, { issuedAt: now + 100n });
      app.signatures[1] = auditorSignature(early, await signCredential(auditors[1], domain, early));
      await expect(registry.connect(operator).registerCandidate(app, { value: MIN_DEPOSIT }))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryCredentialNotYetValid")
        .withArgs(1, now + 100n);
    });

    it("accepts a credential issued in the very second of the registering block", async () => {
      const { registry, domain, auditors, operator } = await loadFixture(deployFixture);
      const at = BigInt(await time.latest()) + 100n;
      const app = await application(registry, domain, auditors.slice(0, 3), C, Q);
      const fresh = await credentialFor(registry, C, Q, { issuedAt: at });
      app.signatures[1] = auditorSignature(fresh, await signCredential(auditors[1], domain, fresh));
      await time.setNextBlockTimestamp(at);
      await expect(registry.connect(operator).registerCandidate(app, { value: MIN_DEPOSIT })).to.emit(
        registry,
        "CandidateRegistered",
      );
    });

    it("rejects credentials replayed for another candidate", async () => {
      const { registry, domain, auditors, operator } = await loadFixture(deployFixture);
      const app = await application(registry, domain, auditors.slice(0, 3), C, Q);
      const other = candidateAddress(1);
      const credential = await credentialFor(registry, C, Q, {
        issuedAt: app.signatures[0].issuedAt,
        expiresAt: app.signatures[0].expiresAt,
      });
      const recovered = ethers.verifyTypedData(
        domain,
        CREDENTIAL_TYPES,
        { ...credential, candidate: other },
        app.signatures[0].signature,
      );
      await expect(registry.connect(operator).registerCandidate({ ...app, candidate: other }, { value: MIN_DEPOSIT }))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryNotAuditor")
        .withArgs(recovered);
    });

    it("rejects credentials signed for another registry or another chain", async () => {
      const { registry, auditorRegistry, domain, auditors, operator, owner } = await loadFixture(deployFixture);
      const twin = await new CandidateRegistry__factory(owner).deploy(
        owner.address,
        await auditorRegistry.getAddress(),
        {
          minDeposit: MIN_DEPOSIT,
          unbondingPeriod: UNBONDING_PERIOD,
          representativeRule: REPRESENTATIVE_RULE,
          slashFraction: 500n,
          l2ChainId: L2_CHAIN_ID,
          treasury: ethers.ZeroAddress,
        },
      );
      for (const foreign of [
        { ...domain, verifyingContract: await twin.getAddress() },
        { ...domain, chainId: 1n },
      ]) {
        const app = await application(registry, domain, auditors.slice(0, 3), C, Q, { domain: foreign });
        const credential = await credentialFor(registry, C, Q, {
          issuedAt: app.signatures[0].issuedAt,
          expiresAt: app.signatures[0].expiresAt,
        });
        const recovered = ethers.verifyTypedData(domain, CREDENTIAL_TYPES, credential, app.signatures[0].signature);
        await expect(registry.connect(operator).registerCandidate(app, { value: MIN_DEPOSIT }))
          .to.be.revertedWithCustomError(registry, "CandidateRegistryNotAuditor")
          .withArgs(recovered);
      }
    });

    it("rejects credentials replayed after re-registration (nonce)", async () => {
      const { registry, domain, auditors, operator } = await loadFixture(deployFixture);
      const app = await application(registry, domain, auditors.slice(0, 3), C, Q);
      await registry.connect(operator).registerCandidate(app, { value: MIN_DEPOSIT });
      await registry.connect(operator).withdraw(C);
      await time.increase(UNBONDING_PERIOD);
      await registry.refund(C);
      const stale = await credentialFor(registry, C, Q, {
        issuedAt: app.signatures[0].issuedAt,
        expiresAt: app.signatures[0].expiresAt,
        nonce: 0n,
      });
      const recovered = ethers.verifyTypedData(
        domain,
        CREDENTIAL_TYPES,
        { ...stale, nonce: 2n },
        app.signatures[0].signature,
      );
      await expect(registry.connect(operator).registerCandidate(app, { value: MIN_DEPOSIT }))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryNotAuditor")
        .withArgs(recovered);
    });

    it("rejects a malformed signature and a high-s signature", async () => {
      const { registry, domain, auditors, operator } = await loadFixture(deployFixture);
      const app = await application(registry, domain, auditors.slice(0, 3), C, Q);
      const short = structuredClone(app);
      short.signatures[2].signature = ethers.dataSlice(app.signatures[2].signature, 0, 64);
      await expect(registry.connect(operator).registerCandidate(short, { value: MIN_DEPOSIT }))
        .to.be.revertedWithCustomError(registry, "ECDSAInvalidSignatureLength")
        .withArgs(64);

      const sig = ethers.Signature.from(app.signatures[1].signature);
      const highS = ethers.toBeHex(SECP256K1_N - BigInt(sig.s), 32);
      const flippedV = sig.v === 27 ? 28 : 27;
      const malleable = structuredClone(app);
      malleable.signatures[1].signature = ethers.concat([sig.r, highS, ethers.toBeHex(flippedV, 1)]);
      await expect(registry.connect(operator).registerCandidate(malleable, { value: MIN_DEPOSIT }))
        .to.be.revertedWithCustomError(registry, "ECDSAInvalidSignatureS")
        .withArgs(highS);

      const garbage = structuredClone(app);
      garbage.signatures[0].signature = ethers.concat([ethers.ZeroHash, ethers.ZeroHash, "0x1b"]);
      await expect(
        registry.connect(operator).registerCandidate(garbage, { value: MIN_DEPOSIT }),
      ).to.be.revertedWithCustomError(registry, "ECDSAInvalidSignature");
    });

    it("rejects a deposit below minDeposit", async () => {
      const { registry, domain, auditors, operator } = await loadFixture(deployFixture);
      const app = await application(registry, domain, auditors.slice(0, 3), C, Q);
      await expect(registry.connect(operator).registerCandidate(app, { value: MIN_DEPOSIT - 1n }))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryInsufficientDeposit")
        .withArgs(MIN_DEPOSIT - 1n, MIN_DEPOSIT);
    });

    it("rejects address(0) as candidate", async () => {
      const { registry, domain, auditors, operator } = await loadFixture(deployFixture);
      const app = await application(registry, domain, auditors.slice(0, 3), ethers.ZeroAddress, Q, {
        consentSigner: candidateWallet(0),
      });
      await expect(
        registry.connect(operator).registerCandidate(app, { value: MIN_DEPOSIT }),
      ).to.be.revertedWithCustomError(registry, "CandidateRegistryZeroCandidate");
    });

    it("rejects an active candidate and a removed one whose deposit is not refunded", async () => {
      const { registry, domain, auditors, operator } = await loadFixture(deployFixture);
      await registry
        .connect(operator)
        .registerCandidate(await application(registry, domain, auditors.slice(0, 3), C, Q), { value: MIN_DEPOSIT });
      const again = await application(registry, domain, auditors.slice(0, 3), C, Q);
      await expect(registry.connect(operator).registerCandidate(again, { value: MIN_DEPOSIT }))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryAlreadyRegistered")
        .withArgs(C);
      await registry.connect(operator).withdraw(C);
      const { refundableAt } = await registry.getCandidate(C);
      await expect(registry.connect(operator).registerCandidate(again, { value: MIN_DEPOSIT }))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryDepositNotRefunded")
        .withArgs(C, refundableAt);
    });

    it("registers the same address again after its refund, keeping its listing index", async () => {
      const { registry, domain, auditors, operator, stranger } = await loadFixture(deployFixture);
      await registry
        .connect(operator)
        .registerCandidate(await application(registry, domain, auditors.slice(0, 3), C, Q), { value: MIN_DEPOSIT });
      await registry.connect(operator).withdraw(C);
      await time.increase(UNBONDING_PERIOD);
      await registry.refund(C);
      const q2 = qualificationHash(99);
      const app = await application(registry, domain, auditors.slice(2, 5), C, q2, { operator: stranger.address });
      await expect(registry.connect(stranger).registerCandidate(app, { value: MIN_DEPOSIT }))
        .to.emit(registry, "CandidateRegistered")
        .withArgs(C, stranger.address, MIN_DEPOSIT, q2, app.signatures[0].expiresAt, 3n);
      expect(await registry.registrationNonce(C)).to.equal(3n);
      expect(await registry.candidateCount()).to.equal(1n);
      expect(await registry.candidateIndex(C)).to.deep.equal([true, true, 0n, 3n]);
      expect((await registry.getCandidate(C)).operator).to.equal(stranger.address);
    });
  });

  describe("registerCandidates", () => {
    it("registers a list in one transaction at minDeposit each", async () => {
      const { registry, domain, auditors, operator } = await loadFixture(deployFixture);
      const apps = [];
      for (let i = 0; i < 3; i++) {
        apps.push(await application(registry, domain, auditors.slice(0, 3), candidateAddress(i), qualificationHash(i)));
      }
      const tx = registry.connect(operator).registerCandidates(apps, { value: MIN_DEPOSIT * 3n });
      for (let i = 0; i < 3; i++) {
        await expect(tx)
          .to.emit(registry, "CandidateRegistered")
          .withArgs(
            candidateAddress(i),
            operator.address,
            MIN_DEPOSIT,
            qualificationHash(i),
            apps[i].signatures[0].expiresAt,
            1n,
          );
      }
      expect(await registry.candidates(0, 10)).to.deep.equal([0, 1, 2].map(candidateAddress));
      expect(await ethers.provider.getBalance(registry)).to.equal(MIN_DEPOSIT * 3n);
    });

    it("rejects a wrong total value, an empty list, and any bad application (atomically)", async () => {
      const { registry, domain, auditors, operator } = await loadFixture(deployFixture);
      const good = await application(registry, domain, auditors.slice(0, 3), candidateAddress(0), Q);
      const bad = await application(registry, domain, auditors.slice(0, 2), candidateAddress(1), Q);
      await expect(registry.connect(operator).registerCandidates([good, good], { value: MIN_DEPOSIT * 3n }))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryBatchValueMismatch")
        .withArgs(MIN_DEPOSIT * 3n, MIN_DEPOSIT * 2n);
      await expect(registry.connect(operator).registerCandidates([], { value: 0 })).to.be.revertedWithCustomError(
        registry,
        "CandidateRegistryEmptyBatch",
      );
      await expect(registry.connect(operator).registerCandidates([good, bad], { value: MIN_DEPOSIT * 2n }))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryInsufficientSignatures")
        .withArgs(2, THRESHOLD);
      await expect(registry.connect(operator).registerCandidates([good, good], { value: MIN_DEPOSIT * 2n }))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryAlreadyRegistered")
        .withArgs(candidateAddress(0));
      expect(await registry.candidateCount()).to.equal(0n);
      expect(await registry.isCandidate(candidateAddress(0))).to.equal(false);
    });
  });

  describe("renewCredentials", () => {
    async function registered() {
      const fx = await deployFixture();
      const app = await application(fx.registry, fx.domain, fx.auditors.slice(0, 3), C, Q);
      await fx.registry.connect(fx.operator).registerCandidate(app, { value: MIN_DEPOSIT });
      return { ...fx, app };
    }

    it("moves the expiry and the qualification on Renewal signatures, and moves renewalNonce only", async () => {
      const { registry, domain, auditors, operator } = await loadFixture(registered);
      await time.increase(1000);
      const q2 = qualificationHash(7);
      const renewal = await renewalApplication(registry, domain, auditors.slice(1, 4), C, q2);
      const expiry = renewal.signatures[0].expiresAt;
      await expect(registry.connect(operator).renewCredentials(renewal))
        .to.emit(registry, "CredentialsRenewed")
        .withArgs(C, q2, expiry, 0n);
      expect((await registry.getCandidate(C)).credentialExpiry).to.equal(expiry);
      expect(await registry.registrationNonce(C)).to.equal(1n);
      expect(await registry.renewalNonce(C)).to.equal(1n);
    });

    it("replayed renewal bundle: a kept renewal can neither renew again nor register the candidate", async () => {
      const { registry, domain, auditors, operator } = await loadFixture(registered);
      const renewal = await renewalApplication(registry, domain, auditors.slice(0, 3), C, Q);
      await registry.connect(operator).renewCredentials(renewal);
      await expect(registry.connect(operator).renewCredentials(renewal)).to.be.revertedWithCustomError(
        registry,
        "CandidateRegistryNotAuditor",
      );
      await registry.connect(operator).withdraw(C);
      await time.increase(UNBONDING_PERIOD);
      await registry.refund(C);
      // Renewal signatures are another EIP-712 type: as registration credentials they recover to strangers.
      const consentSignature = await consentFor(domain, await credentialFor(registry, C, Q));
      await expect(
        registry.connect(operator).registerCandidate({ ...renewal, consentSignature }, { value: MIN_DEPOSIT }),
      ).to.be.revertedWithCustomError(registry, "CandidateRegistryNotAuditor");
    });

    it("rejects registration credentials offered as a renewal", async () => {
      const { registry, domain, auditors, operator } = await loadFixture(registered);
      const credential = await application(registry, domain, auditors.slice(0, 3), C, Q);
      await expect(registry.connect(operator).renewCredentials(credential)).to.be.revertedWithCustomError(
        registry,
        "CandidateRegistryNotAuditor",
      );
    });

    it("rejects a non-operator, a bundle naming another operator and an inactive candidate", async () => {
      const { registry, domain, auditors, operator, stranger } = await loadFixture(registered);
      const renewal = await renewalApplication(registry, domain, auditors.slice(0, 3), C, Q);
      await expect(registry.connect(stranger).renewCredentials(renewal))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryNotOperator")
        .withArgs(stranger.address, operator.address);
      const foreign = await renewalApplication(registry, domain, auditors.slice(0, 3), C, Q, {
        operator: stranger.address,
      });
      await expect(registry.connect(operator).renewCredentials(foreign))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryCallerNotOperator")
        .withArgs(operator.address, stranger.address);
      const unknown = { ...renewal, candidate: candidateAddress(5) };
      await expect(registry.connect(operator).renewCredentials(unknown))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryNotActive")
        .withArgs(candidateAddress(5), Status.None);
      await registry.connect(operator).withdraw(C);
      await expect(registry.connect(operator).renewCredentials(renewal))
        .to.be.revertedWithCustomError(registry, "CandidateRegistryNotActive")
        .withArgs(C, Status.Withdrawn);
    });
  });
});
