import { expect } from "chai";
import { ethers } from "hardhat";
import { takeSnapshot, time } from "@nomicfoundation/hardhat-network-helpers";
import { getAddress, type Wallet } from "ethers";
import { join } from "node:path";
import { applyForCandidacy, type ApplyOptions, type ApplyResult } from "../../node/auditor/client/apply";
import { signApplication, qualificationHash, applicationId } from "../../node/auditor/application";
import { EthersRegistryView } from "../../node/auditor/service/l1Reads";
import { AuditorClient, AuditorHttpError } from "../../node/auditor/client/client";
import { signDecision } from "../../node/auditor/service/decision";
import type { RunningAuditor } from "../../node/auditor/service/start";
import { signCandidateConsent, signCredential } from "../../node/types/eip712";
import type { Address } from "../../node/types/primitives";
import {
  deadPort,
  randomWallet,
  deployRegistries,
  MIN_DEPOSIT,
  runAuditor,
  tempDir,
  UNBONDING_SECONDS,
  writeCreditFile,
  measure,
  type Registries,
} from "./fixture";

// The measured figures of a tiny test challenge are dominated by latency; the floors only need to be
// met. Rejection on a measured figure is tested with a controlled clock in challenge.test.ts.
const RULES = {
  minPowHashesPerSecond: "1",
  minSigVerificationsPerSecond: "1",
  minDeposit: MIN_DEPOSIT.toString(),
  minCreditValue: "50",
};
const now = () => BigInt(Math.floor(Date.now() / 1000));

describe("auditor service end to end: three auditors, threshold 2 (automatic, manual, down)", function () {
  const auditorKeys = [randomWallet(), randomWallet(), randomWallet()];
  const reviewer = randomWallet(); // the manual auditor's operator
  let registries: Registries;
  let dir: { path: string; remove: () => Promise<void> };
  let automatic: RunningAuditor;
  let manual: RunningAuditor;
  let downUrl: string;
  const running = new Set<RunningAuditor>();

  async function startAutomatic(peers: string[]): Promise<RunningAuditor> {
    const a = await runAuditor({
      wallet: auditorKeys[0],
      dir: join(dir.path, "automatic"),
      registries,
      config: { review: { mode: "automatic", rules: RULES }, credit: { file: "../credit.json" }, peers },
    });
    running.add(a);
    return a;
  }

  before(async function () {
    registries = await deployRegistries(auditorKeys, 2);
    dir = await tempDir();
    const [, operator1, operator2, , operator4] = await ethers.getSigners();
    await writeCreditFile(join(dir.path, "credit.json"), {
      [operator1.address]: 100n,
      [operator2.address]: 10n,
      [operator4.address]: 100n,
    });
    manual = await runAuditor({
      wallet: auditorKeys[1],
      dir: join(dir.path, "manual"),
      registries,
      config: {
        review: { mode: "manual", rules: RULES },
        credit: { file: "../credit.json" },
        operators: [reviewer.address],
      },
    });
    running.add(manual);
    downUrl = `http://127.0.0.1:${await deadPort()}`;
    automatic = await startAutomatic([manual.url, downUrl]);
    // The registered node the other tests build on is the fixture, not the outcome of an earlier
    // test: each `it` below depends on this only, in any order (the tests that remove node1 do it
    // inside an L1 snapshot they restore).
    const candidate = node1.address.toLowerCase() as Address;
    [result1] = await Promise.all([applyForCandidacy(await applyOptions(node1, 1, {})), operatorApproves(candidate)]);
  });

  after(async function () {
    for (const a of running) await a.close();
    await dir?.remove();
  });

  function applyOptions(
    candidate: Wallet,
    operatorIndex: number,
    overrides: Partial<ApplyOptions>,
  ): Promise<ApplyOptions> {
    return ethers.getSigners().then((signers) => ({
      candidate,
      operator: signers[operatorIndex],
      chain: new EthersRegistryView(ethers.provider, registries),
      domain: registries.domain,
      credentialDomain: registries.credentialDomain,
      auditorUrls: [automatic.url, manual.url, downUrl],
      deposit: MIN_DEPOSIT,
      creditValue: 100n,
      register: true,
      requestTimeoutMs: 1_000,
      waitTimeoutMs: 20_000,
      pollIntervalMs: 50,
      ...overrides,
    }));
  }

  /**
   * The manual auditor's operator approves the first pending application for `candidate`, after
   * `beforeDeciding` (which runs once the application reached every auditor).
   */
  async function operatorApproves(candidate: Address, beforeDeciding?: () => Promise<unknown>): Promise<void> {
    const client = new AuditorClient(manual.url, 1_000);
    for (let attempt = 0; attempt < 200; attempt++) {
      const pending = (await client.pending()).find((r) => r.application.candidate === candidate);
      if (pending) {
        await beforeDeciding?.();
        const decision = {
          auditor: manual.address,
          applicationId: pending.id,
          approve: true,
          reason: "hardware inspected",
          issuedAt: now(),
        };
        const operatorSignature = await signDecision(reviewer, decision, registries.domain);
        await client.decide(pending.id, { ...decision, operatorSignature });
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no pending application for ${candidate} at the manual auditor`);
  }

  const node1 = randomWallet();
  let result1: ApplyResult;

  it("a node applies, gets two approvals (automatic + operator) and registers on chain", async function () {
    expect(result1.bundle.application.signatures).to.have.length(2);
    const answers = Object.fromEntries(result1.bundle.auditors.map((a) => [a.url, a.answer]));
    expect(answers).to.deep.equal({ [automatic.url]: "approved", [manual.url]: "approved", [downUrl]: "no-answer" });
    expect(result1.submissions[downUrl]).to.match(/^no answer/);
    expect(result1.registrationTx).to.match(/^0x[0-9a-f]{64}$/);

    const onChain = await registries.candidates.getCandidate(node1.address);
    expect(await registries.candidates.isCandidate(node1.address)).to.equal(true);
    // The chain stores the commitment to both auditors' measurements.
    const [registered] = await registries.candidates.queryFilter(
      registries.candidates.filters.CandidateRegistered(node1.address),
    );
    expect(registered.args.qualificationHash).to.equal(qualificationHash(result1.signed.application.qualification));
    expect(onChain.operator).to.equal((await ethers.getSigners())[1].address);
    expect(onChain.deposit).to.equal(MIN_DEPOSIT);
  });

  let renewal1: ApplyResult;

  it("renews a standing registration: the auditors sign Renewals and renewCredentials moves the expiry", async function () {
    const candidate = node1.address.toLowerCase() as Address;
    const before = await registries.candidates.getCandidate(node1.address);
    await time.increase(60); // L1 time moves, so the renewed credentials expire later
    [renewal1] = await Promise.all([
      applyForCandidacy(await applyOptions(node1, 1, { renew: true })),
      operatorApproves(candidate),
    ]);
    expect(renewal1.registrationTx).to.match(/^0x[0-9a-f]{64}$/);
    expect(renewal1.bundle.application.signatures).to.have.length(2);
    const record = await new AuditorClient(automatic.url, 1_000).status(renewal1.id);
    expect(record.credential?.renewal, "a Renewal, carrying the renewalNonce").to.equal(0n);
    const after = await registries.candidates.getCandidate(node1.address);
    expect(after.credentialExpiry).to.be.greaterThan(before.credentialExpiry);
    expect(await registries.candidates.renewalNonce(node1.address)).to.equal(1n);
    expect(await registries.candidates.registrationNonce(node1.address)).to.equal(before.registrationNonce);

    // A kept renewal bundle never registers the candidate again: Renewal signatures never verify as
    // Credentials. Tried after a withdrawal and refund, inside a snapshot so node1 stays registered.
    const snapshot = await takeSnapshot();
    try {
      const [, operator1] = await ethers.getSigners();
      const registry = registries.candidates.connect(operator1);
      await registry.withdraw(node1.address);
      await time.increase(UNBONDING_SECONDS + 1);
      await registry.refund(node1.address);
      await expect(
        registry.registerCandidate(renewal1.bundle.application, { value: MIN_DEPOSIT }),
      ).to.be.revertedWithCustomError(registries.candidates, "CandidateRegistryNotAuditor");
    } finally {
      await snapshot.restore();
    }
  });

  it("the manual auditor records who decided and why; the automatic one says the rules did", async function () {
    const byManual = await new AuditorClient(manual.url, 1_000).status(result1.id);
    expect(byManual.decision).to.include({
      approve: true,
      reason: "hardware inspected",
      by: reviewer.address.toLowerCase(),
    });
    const byRules = await new AuditorClient(automatic.url, 1_000).status(result1.id);
    expect(byRules.decision).to.include({ approve: true, by: "rules" });
  });

  it("an auditor's bundle endpoint gathers its own and its peers' answers", async function () {
    const response = await fetch(`${automatic.url}/v1/applications/${result1.id}/bundle`);
    const bundle = (await response.json()) as {
      application: { signatures: unknown[] };
      auditors: { answer: string }[];
    };
    expect(bundle.application.signatures).to.have.length(2);
    expect(bundle.auditors.map((a) => a.answer)).to.deep.equal(["approved", "approved", "no-answer"]);
  });

  it("rejects a node that fails the rules; the manual auditor queues it with the rules' advice", async function () {
    const node2 = randomWallet();
    // Operator 2 has a credit value of 10, below the minimum 50. (Forwarding: peers.test.ts.)
    const result = await applyForCandidacy(
      await applyOptions(node2, 2, {
        auditorUrls: [automatic.url, manual.url],
        creditValue: 10n,
        waitTimeoutMs: 0,
      }),
    );
    const report = result.bundle.auditors[0];
    expect(report.answer).to.equal("rejected");
    expect(report.reason).to.contain("credit value 10 is below the minimum 50");
    expect(result.bundle.application.signatures).to.have.length(0);
    expect(result.registrationTx).to.equal(undefined);
    expect(await registries.candidates.isCandidate(node2.address)).to.equal(false);

    // The manual auditor queued it, with the rules' advice for its operator.
    let queued;
    for (let i = 0; i < 100 && !queued; i++) {
      queued = (await new AuditorClient(manual.url, 1_000).pending()).find((r) => r.id === result.id);
      if (!queued) await new Promise((r) => setTimeout(r, 50));
    }
    expect(queued?.advice).to.contain("credit value 10 is below the minimum 50");
  });

  it("a restarted auditor still knows its decisions and does not sign again", async function () {
    const before = await new AuditorClient(automatic.url, 1_000).status(result1.id);
    await automatic.close();
    running.delete(automatic);
    automatic = await startAutomatic([manual.url, downUrl]);

    const after = await new AuditorClient(automatic.url, 1_000).status(result1.id);
    expect(after.status).to.equal("approved");
    expect(after.credential).to.deep.equal(before.credential);
    const replay = new AuditorClient(automatic.url, 1_000).submit(result1.signed);
    await expectRefusal(replay, 409, "REPLAYED");
  });

  it("a bundle copied by another account reverts and uses up nothing: the operator registers with it after", async function () {
    const node4 = randomWallet();
    const candidate = node4.address.toLowerCase() as Address;
    const options = await applyOptions(node4, 4, { register: false });
    const [result] = await Promise.all([applyForCandidacy(options), operatorApproves(candidate)]);
    const bundle = result.bundle.application;
    expect(bundle.operator).to.equal((await ethers.getSigners())[4].address.toLowerCase());

    const thief = (await ethers.getSigners())[5];
    await expect(registries.candidates.connect(thief).registerCandidate(bundle, { value: MIN_DEPOSIT }))
      .to.be.revertedWithCustomError(registries.candidates, "CandidateRegistryCallerNotOperator")
      .withArgs(thief.address, getAddress(bundle.operator));
    // A bundle naming the thief as operator fails the credentials and the consent, which name the real one.
    const renamed = { ...bundle, operator: thief.address };
    await expect(registries.candidates.connect(thief).registerCandidate(renamed, { value: MIN_DEPOSIT })).to.be
      .reverted;
    expect(await registries.candidates.registrationNonce(node4.address)).to.equal(0n);

    const operator = (await ethers.getSigners())[4];
    await registries.candidates.connect(operator).registerCandidate(bundle, { value: MIN_DEPOSIT });
    expect(await registries.candidates.isCandidate(node4.address)).to.equal(true);
  });

  it("apply --register names the registry's error and its arguments when registerCandidate reverts", async function () {
    // The owner raises the minimum deposit after the automatic auditor reviewed and before the manual
    // one approves: the bundle is complete, and registering with the old deposit reverts on chain.
    const node5 = randomWallet();
    const candidate = node5.address.toLowerCase() as Address;
    const snapshot = await takeSnapshot();
    try {
      const approveAfterRaise = async () => {
        await operatorApproves(candidate, () => registries.candidates.setMinDeposit(MIN_DEPOSIT + 1n));
      };
      const [outcome] = await Promise.allSettled([
        applyOptions(node5, 1, {}).then(applyForCandidacy),
        approveAfterRaise(),
      ]);
      expect(outcome.status).to.equal("rejected");
      const message = (outcome as PromiseRejectedResult).reason.message as string;
      expect(message).to.equal(
        `registerCandidate reverted: CandidateRegistryInsufficientDeposit(${MIN_DEPOSIT}, ${MIN_DEPOSIT + 1n})`,
      );
    } finally {
      await snapshot.restore();
    }
  });

  it("refuses a forged application: signed by another key than the candidate's", async function () {
    const victim = randomWallet();
    const attacker = randomWallet();
    const [, operator] = await ethers.getSigners();
    const forged = await signApplication(
      attacker,
      {
        ...result1.signed.application,
        candidate: victim.address.toLowerCase() as Address,
        operator: operator.address.toLowerCase() as Address,
      },
      registries.domain,
      registries.credentialDomain,
    );
    await expectRefusal(new AuditorClient(automatic.url, 1_000).submit(forged), 401, "BAD_SIGNATURE");
    const id = applicationId(forged.application, registries.domain);
    await expectRefusal(new AuditorClient(automatic.url, 1_000).status(id), 404, "NOT_FOUND");
  });

  it("the contract refuses a forged credential and a tampered one", async function () {
    const node3 = randomWallet();
    const [, , , operator3] = await ethers.getSigners();
    const honest = { qualificationHash: qualificationHash(result1.signed.application.qualification) };
    const nonce = await registries.candidates.registrationNonce(node3.address);
    const issuedAt = BigInt(await time.latest());
    const credential = {
      candidate: node3.address,
      operator: operator3.address,
      qualificationHash: honest.qualificationHash,
      approve: true,
      issuedAt,
      expiresAt: issuedAt + 3_600n,
      nonce,
    };
    const notAuditor = randomWallet();
    const forgedSignature = await signCredential(notAuditor, registries.credentialDomain, credential);
    const real = await signCredential(auditorKeys[0], registries.credentialDomain, credential);
    const consent = { candidate: node3.address, operator: operator3.address, nonce };
    const consentSignature = await signCandidateConsent(node3, registries.credentialDomain, consent);
    const app = (signatures: { approve: boolean; issuedAt: bigint; expiresAt: bigint; signature: string }[]) => ({
      candidate: node3.address,
      operator: operator3.address,
      qualificationHash: honest.qualificationHash,
      signatures,
      consentSignature,
    });
    const forged = { approve: true, issuedAt, expiresAt: issuedAt + 3_600n, signature: forgedSignature };
    const genuine = { approve: true, issuedAt, expiresAt: issuedAt + 3_600n, signature: real };
    const tampered = { ...genuine, expiresAt: issuedAt + 7_200n };
    const registry = registries.candidates.connect(operator3);
    await expect(registry.registerCandidate(app([genuine, forged]), { value: MIN_DEPOSIT }))
      .to.be.revertedWithCustomError(registries.candidates, "CandidateRegistryNotAuditor")
      .withArgs(notAuditor.address);
    await expect(
      registry.registerCandidate(app([genuine, tampered]), { value: MIN_DEPOSIT }),
    ).to.be.revertedWithCustomError(registries.candidates, "CandidateRegistryNotAuditor");
  });

  it("a replayed application and a replayed credential bundle are refused by the service and the contract", async function () {
    const [, operator1] = await ethers.getSigners();
    const registry = registries.candidates.connect(operator1);
    const bundle = result1.bundle.application;
    // While the candidate is active.
    await expect(registry.registerCandidate(bundle, { value: MIN_DEPOSIT }))
      .to.be.revertedWithCustomError(registries.candidates, "CandidateRegistryAlreadyRegistered")
      .withArgs(node1.address);
    await expectRefusal(new AuditorClient(manual.url, 1_000).submit(result1.signed), 409, "REPLAYED");

    // After withdrawal and refund the candidate may register again, but only with fresh credentials
    // (inside a snapshot, restored below, so node1 stays registered for the other tests).
    const snapshot = await takeSnapshot();
    await registry.withdraw(node1.address);
    await time.increase(UNBONDING_SECONDS + 1);
    await registry.refund(node1.address);
    await expect(registry.registerCandidate(bundle, { value: MIN_DEPOSIT })).to.be.revertedWithCustomError(
      registries.candidates,
      "CandidateRegistryNotAuditor",
    );
    // A fresh auditor state would see the old nonce: the automatic one refuses it as stale, not only as known.
    const stale = await signApplication(
      node1,
      {
        ...result1.signed.application,
        // A fresh measurement, so the application's id differs from the one already on file:
        // then only the nonce check can refuse it.
        qualification: {
          ...result1.signed.application.qualification,
          measurements: [await measure(automatic.url, node1.address.toLowerCase() as Address)],
        },
      },
      registries.domain,
      registries.credentialDomain,
    );
    await expectRefusal(new AuditorClient(automatic.url, 1_000).submit(stale), 409, "STALE_NONCE");
    await snapshot.restore();
  });
});

async function expectRefusal(call: Promise<unknown>, status: number, code: string): Promise<void> {
  try {
    await call;
  } catch (err) {
    expect(err).to.be.instanceOf(AuditorHttpError);
    expect((err as AuditorHttpError).status, (err as Error).message).to.equal(status);
    expect((err as AuditorHttpError).code).to.equal(code);
    return;
  }
  expect.fail(`expected a ${status} ${code} refusal`);
}
