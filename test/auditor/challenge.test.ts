import { expect } from "chai";
import { join } from "node:path";
import type { Wallet } from "ethers";
import { ethers } from "hardhat";
import {
  applicationId,
  NO_DEPOSIT_TX,
  signApplication,
  type MeasurementReference,
} from "../../node/auditor/application";
import { AuditorClient, AuditorHttpError } from "../../node/auditor/client/client";
import type { RunningAuditor } from "../../node/auditor/service/start";
import { meetsDifficulty, powDigest, solvePow, verifySignatureBatch } from "../../node/qualification/challenge";
import { transcriptHash } from "../../node/qualification/transcript";
import type { Address, Hex } from "../../node/types/primitives";
import {
  deployRegistries,
  MIN_DEPOSIT,
  randomWallet,
  runAuditor,
  SMALL_CHALLENGE,
  tempDir,
  writeCreditFile,
  type Registries,
} from "./fixture";

const ANSWER_SECONDS = 60;
// SMALL_CHALLENGE: 4 solutions of 4 zero bits = 64 expected hashes, then 16 signatures.
const RULES = { minPowHashesPerSecond: "100", minSigVerificationsPerSecond: "100" };

/**
 * The attacks on the auditor's own measurement (issue 10 §5): each is performed against a real
 * auditor over HTTP. The auditor's challenge clock is a variable the test moves, so "slow" and
 * "late" are exact, not slept for.
 */
describe("auditor qualification challenge: the auditor measures, and refuses what it did not", function () {
  const auditorKey = randomWallet();
  let registries: Registries;
  let dir: { path: string; remove: () => Promise<void> };
  let auditor: RunningAuditor;
  let client: AuditorClient;
  let operator: Address;
  let clockMs = BigInt(Date.now());

  before(async function () {
    registries = await deployRegistries([auditorKey], 1);
    dir = await tempDir();
    operator = (await (await ethers.getSigners())[1].getAddress()).toLowerCase() as Address;
    await writeCreditFile(join(dir.path, "credit.json"), { [operator]: 100n });
    auditor = await runAuditor({
      wallet: auditorKey,
      dir: join(dir.path, "a"),
      registries,
      config: {
        review: { mode: "automatic", rules: RULES },
        credit: { file: "../credit.json" },
        challenge: { ...SMALL_CHALLENGE, answerSeconds: ANSWER_SECONDS, maxOpen: 50 },
      },
      nowMs: () => clockMs,
    });
    client = new AuditorClient(auditor.url, 5_000);
  });

  after(async function () {
    await auditor?.close();
    await dir?.remove();
  });

  const addressOf = (w: Wallet) => w.address.toLowerCase() as Address;

  /** Runs a whole challenge, the clock moving `powMs` during the PoW stage and `sigMs` during the signatures. */
  async function measured(candidate: Address, powMs = 100n, sigMs = 100n) {
    const issued = await client.challenge(candidate);
    clockMs += powMs;
    const batch = await client.answerPow(issued.challenge, solvePow(issued.challenge, candidate, issued));
    clockMs += sigMs;
    const result = await client.answerSignatures(issued.challenge, verifySignatureBatch(issued.challenge, batch));
    const reference: MeasurementReference = {
      auditor: result.transcript.auditor,
      challenge: result.transcript.challenge,
      transcriptHash: result.transcriptHash,
    };
    return { ...result, reference };
  }

  async function signedApplication(candidate: Wallet, measurements: MeasurementReference[]) {
    const qualification = { deposit: MIN_DEPOSIT, depositTx: NO_DEPOSIT_TX, creditValue: 100n, measurements };
    const application = { candidate: addressOf(candidate), operator, qualification, nonce: 0n, renew: false };
    return signApplication(candidate, application, registries.domain, registries.credentialDomain);
  }

  /** Expects the call to be refused with `status`/`code` and returns the message. */
  async function refusal(call: Promise<unknown>, status: number, code: string): Promise<string> {
    try {
      await call;
    } catch (err) {
      expect(err, (err as Error).message).to.be.instanceOf(AuditorHttpError);
      expect((err as AuditorHttpError).status, (err as Error).message).to.equal(status);
      expect((err as AuditorHttpError).code).to.equal(code);
      return (err as Error).message;
    }
    return expect.fail(`expected a ${status} ${code} refusal`);
  }

  async function expectNotStored(signed: Awaited<ReturnType<typeof signedApplication>>): Promise<void> {
    const id = applicationId(signed.application, registries.domain);
    await refusal(client.status(id), 404, "NOT_FOUND");
  }

  it("records the throughput it observed: expected work over the time on its own clock", async function () {
    const candidate = addressOf(randomWallet());
    const { transcript, transcriptHash: hash } = await measured(candidate, 1_000n, 500n);
    // 64 expected hashes in 1,000 ms; 16 signatures judged in 500 ms.
    expect(transcript.powHashesPerSecond).to.equal(64n);
    expect(transcript.sigVerificationsPerSecond).to.equal(32n);
    expect(transcript.candidate).to.equal(candidate);
    expect(transcript.auditor).to.equal(auditor.address);
    expect(transcriptHash(transcript)).to.equal(hash);
    // Anyone can read it back to check what a qualificationHash commits to; an unknown one is a 404.
    expect(await client.measurement(transcript.challenge)).to.deep.equal({ transcript, transcriptHash: hash });
    await refusal(client.measurement(`0x${"99".repeat(32)}`), 404, "CHALLENGE_NOT_FOUND");
  });

  it("reviews the figures it measured: a slow answer is rejected, a fast one approved, the record shows both", async function () {
    const slow = randomWallet();
    const slowMeasurement = await measured(addressOf(slow), 10_000n, 100n); // 6 H/s
    const rejected = await client.submit(await signedApplication(slow, [slowMeasurement.reference]));
    expect(rejected.status).to.equal("rejected");
    expect(rejected.decision?.reason).to.contain("measured PoW rate 6 H/s is below the minimum 100");
    expect(rejected.measured.powHashesPerSecond).to.equal(6n);

    const fast = randomWallet();
    const fastMeasurement = await measured(addressOf(fast), 10n, 10n); // 6,400 H/s, 1,600 checks/s
    const approved = await client.submit(await signedApplication(fast, [fastMeasurement.reference]));
    expect(approved.status).to.equal("approved");
    expect(approved.measured).to.deep.include({ powHashesPerSecond: 6_400n, sigVerificationsPerSecond: 1_600n });
    expect(approved.measured.transcriptHash).to.equal(fastMeasurement.transcriptHash);
  });

  it("refuses a replayed answer at either stage", async function () {
    const candidate = addressOf(randomWallet());
    const issued = await client.challenge(candidate);
    const nonces = solvePow(issued.challenge, candidate, issued);
    const batch = await client.answerPow(issued.challenge, nonces);
    const message = await refusal(client.answerPow(issued.challenge, nonces), 409, "CHALLENGE_ANSWERED");
    expect(message).to.contain("the proof of work stage was already answered");
    const bitmap = verifySignatureBatch(issued.challenge, batch);
    await client.answerSignatures(issued.challenge, bitmap);
    await refusal(client.answerSignatures(issued.challenge, bitmap), 409, "CHALLENGE_ANSWERED");
    await refusal(client.answerPow(issued.challenge, nonces), 409, "CHALLENGE_ANSWERED");
  });

  it("refuses a late answer, naming the deadline, and the challenge is spent", async function () {
    const candidate = addressOf(randomWallet());
    const issued = await client.challenge(candidate);
    expect(issued.deadlineMs).to.equal(issued.issuedAtMs + BigInt(ANSWER_SECONDS * 1_000));
    const nonces = solvePow(issued.challenge, candidate, issued);
    clockMs += BigInt(ANSWER_SECONDS * 1_000) + 1n;
    const message = await refusal(client.answerPow(issued.challenge, nonces), 410, "CHALLENGE_EXPIRED");
    expect(message).to.contain(`after its deadline ${issued.deadlineMs} ms`);
    await refusal(client.answerPow(issued.challenge, nonces), 404, "CHALLENGE_NOT_FOUND");

    // Late in the second stage too.
    const second = await client.challenge(candidate);
    const batch = await client.answerPow(second.challenge, solvePow(second.challenge, candidate, second));
    clockMs += BigInt(ANSWER_SECONDS * 1_000) + 1n;
    const bitmap = verifySignatureBatch(second.challenge, batch);
    await refusal(client.answerSignatures(second.challenge, bitmap), 410, "CHALLENGE_EXPIRED");
  });

  it("refuses a forged answer: nonces that do not solve, a guessed bitmap; the challenge is spent", async function () {
    const candidate = addressOf(randomWallet());
    const issued = await client.challenge(candidate);
    const solved = solvePow(issued.challenge, candidate, issued);
    // Ascending but not all solutions: the first non-solution is named. The third nonce is the first
    // one above solved[1] that does not solve (solved[1] + 1 solves one time in 16).
    let nonSolution = solved[1] + 1n;
    while (meetsDifficulty(powDigest(issued.challenge, candidate, nonSolution), issued.powDifficultyBits))
      nonSolution++;
    const forged = [solved[0], solved[1], nonSolution, nonSolution + 1n];
    const message = await refusal(client.answerPow(issued.challenge, forged), 422, "BAD_ANSWER");
    expect(message).to.match(/nonce 2 \(\d+\) does not meet 4 zero bits/);
    await refusal(client.answerPow(issued.challenge, solved), 404, "CHALLENGE_NOT_FOUND");

    const second = await client.challenge(candidate);
    const batch = await client.answerPow(second.challenge, solvePow(second.challenge, candidate, second));
    const right = verifySignatureBatch(second.challenge, batch);
    const guessed = `0x${(parseInt(right.slice(2, 4), 16) ^ 1).toString(16).padStart(2, "0")}${right.slice(4)}` as Hex;
    const wrong = await refusal(client.answerSignatures(second.challenge, guessed), 422, "BAD_ANSWER");
    expect(wrong).to.contain("1 of 16 signatures misjudged");
    await refusal(client.answerSignatures(second.challenge, right), 404, "CHALLENGE_NOT_FOUND");
  });

  it("refuses answers for another candidate's challenge, in the PoW and in an application", async function () {
    const fastNode = randomWallet();
    const other = randomWallet();
    // PoW done with another address than the one the challenge was issued to does not solve it.
    const issued = await client.challenge(addressOf(fastNode));
    const forOther = solvePow(issued.challenge, addressOf(other), issued);
    await refusal(client.answerPow(issued.challenge, forOther), 422, "BAD_ANSWER");

    // A measurement of one node cited in another node's application.
    const { reference } = await measured(addressOf(fastNode));
    const borrowed = await signedApplication(other, [reference]);
    const message = await refusal(client.submit(borrowed), 409, "MEASUREMENT_MISMATCH");
    expect(message).to.contain(`was issued to ${addressOf(fastNode)}, not to ${addressOf(other)}`);
    await expectNotStored(borrowed);
  });

  it("refuses figures it did not measure: another transcript, an unfinished challenge, no challenge", async function () {
    const candidate = randomWallet();
    const { transcript, reference } = await measured(addressOf(candidate), 10_000n, 10_000n);
    // The applicant claims a ten times faster run than the auditor saw.
    const claimed = transcriptHash({ ...transcript, powHashesPerSecond: transcript.powHashesPerSecond * 10n });
    const inflated = await signedApplication(candidate, [{ ...reference, transcriptHash: claimed }]);
    const message = await refusal(client.submit(inflated), 409, "MEASUREMENT_MISMATCH");
    expect(message).to.contain(`but this auditor recorded ${reference.transcriptHash}`);
    await expectNotStored(inflated);

    const issued = await client.challenge(addressOf(candidate));
    await client.answerPow(issued.challenge, solvePow(issued.challenge, addressOf(candidate), issued));
    const unfinished = await signedApplication(candidate, [
      { auditor: auditor.address, challenge: issued.challenge, transcriptHash: reference.transcriptHash },
    ]);
    expect(await refusal(client.submit(unfinished), 409, "NOT_MEASURED")).to.contain("was not finished");

    const elsewhere = await signedApplication(candidate, [{ ...reference, auditor: addressOf(randomWallet()) }]);
    expect(await refusal(client.submit(elsewhere), 409, "NOT_MEASURED")).to.contain("cites no challenge of auditor");
    await expectNotStored(unfinished);
    await expectNotStored(elsewhere);
  });

  it("lets one measurement back one application only, even when two race", async function () {
    const candidate = randomWallet();
    const { reference } = await measured(addressOf(candidate), 10n, 10n);
    const first = await signedApplication(candidate, [reference]);
    const second = await signApplication(
      candidate,
      { ...first.application, qualification: { ...first.application.qualification, creditValue: 99n } },
      registries.domain,
      registries.credentialDomain,
    );
    const outcomes = await Promise.allSettled([client.submit(first), client.submit(second)]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).to.have.length(1);
    const lost = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
    expect((lost.reason as AuditorHttpError).code).to.equal("MEASUREMENT_USED");
  });

  it("keeps a finished measurement across a restart; a challenge open at the restart is asked again", async function () {
    const setup = {
      wallet: auditorKey,
      dir: join(dir.path, "restart"),
      registries,
      config: {
        review: { mode: "automatic" as const, rules: RULES },
        credit: { file: "../credit.json" },
        challenge: { ...SMALL_CHALLENGE, answerSeconds: ANSWER_SECONDS },
      },
      nowMs: () => clockMs,
    };
    let restarting = await runAuditor(setup);
    const candidate = randomWallet();
    const address = addressOf(candidate);
    const restartingClient = () => new AuditorClient(restarting.url, 5_000);
    const issued = await restartingClient().challenge(address);
    clockMs += 10n;
    const batch = await restartingClient().answerPow(issued.challenge, solvePow(issued.challenge, address, issued));
    clockMs += 10n;
    const finished = await restartingClient().answerSignatures(
      issued.challenge,
      verifySignatureBatch(issued.challenge, batch),
    );
    const open = await restartingClient().challenge(address);
    await restarting.close();

    restarting = await runAuditor(setup);
    try {
      const reference = {
        auditor: restarting.address,
        challenge: issued.challenge,
        transcriptHash: finished.transcriptHash,
      };
      const record = await restartingClient().submit(await signedApplication(candidate, [reference]));
      expect(record.status).to.equal("approved");
      expect(record.measured.transcriptHash).to.equal(finished.transcriptHash);
      const nonces = solvePow(open.challenge, address, open);
      await refusal(restartingClient().answerPow(open.challenge, nonces), 404, "CHALLENGE_NOT_FOUND");
    } finally {
      await restarting.close();
    }
  });

  it("bounds the open challenges: beyond maxOpen it answers 503 until they expire", async function () {
    const small = await runAuditor({
      wallet: auditorKey,
      dir: join(dir.path, "small"),
      registries,
      config: {
        review: { mode: "automatic" },
        credit: { file: "../credit.json" },
        challenge: { ...SMALL_CHALLENGE, answerSeconds: ANSWER_SECONDS, maxOpen: 2 },
      },
      nowMs: () => clockMs,
    });
    try {
      const smallClient = new AuditorClient(small.url, 5_000);
      const candidate = addressOf(randomWallet());
      await smallClient.challenge(candidate);
      await smallClient.challenge(candidate);
      await refusal(smallClient.challenge(candidate), 503, "CHALLENGE_LIMIT");
      clockMs += BigInt(ANSWER_SECONDS * 1_000) + 1n;
      expect((await smallClient.challenge(candidate)).candidate).to.equal(candidate);
    } finally {
      await small.close();
    }
  });
});
