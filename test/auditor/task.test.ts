import { expect } from "chai";
import { join } from "node:path";
import hre, { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { ApplyResult } from "../../node/auditor/client/apply";
import type { RunningAuditor } from "../../node/auditor/service/start";
import {
  deployRegistries,
  MIN_DEPOSIT,
  randomWallet,
  runAuditor,
  tempDir,
  writeCreditFile,
  writeDeploymentFile,
  type Registries,
} from "./fixture";

describe("npx hardhat apply (the Hardhat task)", function () {
  const auditorKey = randomWallet();
  const candidate = randomWallet();
  let dir: { path: string; remove: () => Promise<void> };
  let auditor: RunningAuditor;
  let previousKey: string | undefined;
  let registries: Registries;

  before(async function () {
    registries = await deployRegistries([auditorKey], 1);
    dir = await tempDir();
    await writeDeploymentFile(join(dir.path, "deployment.json"), registries);
    const operator = (await ethers.getSigners())[5];
    await writeCreditFile(join(dir.path, "credit.json"), { [operator.address]: 80n });
    auditor = await runAuditor({
      wallet: auditorKey,
      dir: join(dir.path, "auditor"),
      registries,
      config: { review: { mode: "automatic", rules: { minCreditValue: "50" } }, credit: { file: "../credit.json" } },
    });
    previousKey = process.env.TEST_TASK_CANDIDATE_KEY;
    process.env.TEST_TASK_CANDIDATE_KEY = candidate.privateKey;
  });

  after(async function () {
    if (previousKey === undefined) delete process.env.TEST_TASK_CANDIDATE_KEY;
    else process.env.TEST_TASK_CANDIDATE_KEY = previousKey;
    await auditor?.close();
    await dir?.remove();
  });

  // Hardhat's account #5: on a remote network only configured keys are accounts, so an address or a key is how one names it.
  const ACCOUNT_5_KEY = "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba";

  /** Runs the task for a fresh candidate key (`as` the first candidate's), with the operator given as `operator`. */
  async function applyAs(operator: { operator?: string; operatorKeyEnv?: string }, as = randomWallet()) {
    process.env.TEST_TASK_CANDIDATE_KEY = as.privateKey;
    const result = (await hre.run("apply", {
      auditors: auditor.url,
      deployment: join(dir.path, "deployment.json"),
      candidateKeyEnv: "TEST_TASK_CANDIDATE_KEY",
      ...operator,
      credit: "80",
      waitSeconds: 10,
      register: true,
      quiet: true,
    })) as ApplyResult;
    expect(result.measurements[auditor.url]).to.match(/^measured \d+ H\/s/);
    expect(result.registrationTx).to.match(/^0x[0-9a-f]{64}$/);
    return { result, record: await registries.candidates.getCandidate(as.address) };
  }

  it("answers the auditor's challenge, applies, and registers with the network's account as operator", async function () {
    const { result, record } = await applyAs({ operator: "5" }, candidate);
    expect(result.bundle.auditors.map((a) => a.answer)).to.deep.equal(["approved"]);
    expect(record.operator).to.equal((await ethers.getSigners())[5].address);
    expect(record.deposit).to.equal(MIN_DEPOSIT);
  });

  it("takes the operator as an address or as a key in an environment variable", async function () {
    const account5 = (await ethers.getSigners())[5].address;
    expect((await applyAs({ operator: account5.toLowerCase() })).record.operator).to.equal(account5);
    process.env.TEST_TASK_OPERATOR_KEY = ACCOUNT_5_KEY;
    try {
      expect((await applyAs({ operatorKeyEnv: "TEST_TASK_OPERATOR_KEY" })).record.operator).to.equal(account5);
    } finally {
      delete process.env.TEST_TASK_OPERATOR_KEY;
    }
  });

  it("names the accounts it knows when the operator is not one of them", async function () {
    const stranger = randomWallet().address;
    const err = await applyAs({ operator: stranger }).then(
      () => expect.fail("expected a refusal"),
      (e: Error) => e,
    );
    expect(err.message).to.contain(`--operator: expected an account index below`);
    expect(err.message).to.contain(`got ${stranger}`).and.to.contain("--operator-key-env");
  });

  it("renews the registration with --renew: Renewal signatures, renewCredentials, the same operator", async function () {
    const before = await registries.candidates.getCandidate(candidate.address);
    process.env.TEST_TASK_CANDIDATE_KEY = candidate.privateKey; // the registered candidate, not the last applyAs
    await time.increase(60);
    const result = (await hre.run("apply", {
      auditors: auditor.url,
      deployment: join(dir.path, "deployment.json"),
      candidateKeyEnv: "TEST_TASK_CANDIDATE_KEY",
      operator: "5",
      credit: "80",
      waitSeconds: 10,
      register: true,
      renew: true,
      quiet: true,
    })) as ApplyResult;
    expect(result.signed.application.renew).to.equal(true);
    expect(result.registrationTx).to.match(/^0x[0-9a-f]{64}$/);
    expect(await registries.candidates.renewalNonce(candidate.address)).to.equal(1n);
    const after = await registries.candidates.getCandidate(candidate.address);
    expect(after.credentialExpiry).to.be.greaterThan(before.credentialExpiry);
    expect(after.deposit, "a renewal moves no deposit").to.equal(before.deposit);
  });
});
