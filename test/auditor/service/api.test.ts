import { expect } from "chai";
import { ethers } from "hardhat";
import { join } from "node:path";
import type { Wallet } from "ethers";
import {
  applicationId,
  NO_DEPOSIT_TX,
  qualificationHash,
  signApplication,
  type CandidateApplication,
} from "../../../node/auditor/application";
import { signDecision } from "../../../node/auditor/service/decision";
import type { RunningAuditor } from "../../../node/auditor/service/start";
import { submitBodyToJson } from "../../../node/auditor/apiJson";
import type { Address, Hex } from "../../../node/types/primitives";
import {
  deployRegistries,
  MIN_DEPOSIT,
  randomWallet,
  runAuditor,
  tempDir,
  writeCreditFile,
  type Registries,
} from "../fixture";

const now = () => BigInt(Math.floor(Date.now() / 1000));

interface Answer {
  status: number;
  body: { error?: string; message?: string; status?: string; details?: Record<string, unknown> };
}

async function post(url: string, body: unknown, raw = false): Promise<Answer> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: raw ? (body as string) : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Answer["body"] };
}

async function get(url: string): Promise<Answer> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Answer["body"] };
}

describe("auditor API: bad input gets a 4xx with a clear message and changes nothing", function () {
  const auditorKeys = [randomWallet(), randomWallet()];
  const operatorKey = randomWallet();
  let registries: Registries;
  let dir: { path: string; remove: () => Promise<void> };
  let automatic: RunningAuditor;
  let manual: RunningAuditor;
  let operatorAddress: Address;

  before(async function () {
    registries = await deployRegistries(auditorKeys, 1);
    dir = await tempDir();
    operatorAddress = (await (await ethers.getSigners())[1].getAddress()).toLowerCase() as Address;
    await writeCreditFile(join(dir.path, "credit.json"), { [operatorAddress]: 100n });
    const common = { credit: { file: "../credit.json" }, bodyLimitBytes: 4_096 };
    automatic = await runAuditor({
      wallet: auditorKeys[0],
      dir: join(dir.path, "a"),
      registries,
      config: { ...common, review: { mode: "automatic" } },
    });
    manual = await runAuditor({
      wallet: auditorKeys[1],
      dir: join(dir.path, "m"),
      registries,
      config: { ...common, review: { mode: "manual" }, operators: [operatorKey.address] },
    });
  });

  after(async function () {
    await automatic?.close();
    await manual?.close();
    await dir?.remove();
  });

  function application(candidate: Wallet, overrides: Partial<CandidateApplication> = {}): CandidateApplication {
    return {
      candidate: candidate.address.toLowerCase() as Address,
      operator: operatorAddress,
      qualification: {
        powHashesPerSecond: 1_000n,
        sigVerificationsPerSecond: 1_000n,
        measuredAt: now(),
        deposit: MIN_DEPOSIT,
        depositTx: NO_DEPOSIT_TX,
        creditValue: 100n,
      },
      nonce: 0n,
      ...overrides,
    };
  }

  async function signedBody(candidate: Wallet, overrides: Partial<CandidateApplication> = {}) {
    return submitBodyToJson(await signApplication(candidate, application(candidate, overrides), registries.domain));
  }

  async function pendingIds(): Promise<string[]> {
    const list = (await (await fetch(`${manual.url}/v1/applications?status=pending`)).json()) as {
      applications: { id: string }[];
    };
    return list.applications.map((a) => a.id);
  }

  async function pendingCount(): Promise<number> {
    const list = (await (await fetch(`${manual.url}/v1/applications?status=pending`)).json()) as { applications: [] };
    return list.applications.length;
  }

  const malformedCases: {
    id: string;
    mutate: (body: ReturnType<typeof submitBodyToJson>) => unknown;
    field: string;
  }[] = [
    {
      id: "missing candidate",
      mutate: (b) => ({ ...b, application: { ...b.application, candidate: undefined } }),
      field: "application.candidate",
    },
    {
      id: "address not hex",
      mutate: (b) => ({ ...b, application: { ...b.application, operator: "0xnothex" } }),
      field: "application.operator",
    },
    {
      id: "uint64 overflow",
      mutate: (b) => ({
        ...b,
        application: {
          ...b.application,
          qualification: { ...b.application.qualification, powHashesPerSecond: (1n << 64n).toString() },
        },
      }),
      field: "application.qualification.powHashesPerSecond",
    },
    {
      id: "number instead of decimal string",
      mutate: (b) => ({ ...b, application: { ...b.application, nonce: 0 } }),
      field: "application.nonce",
    },
    { id: "unknown field", mutate: (b) => ({ ...b, extra: 1 }), field: "extra" },
    { id: "short signature", mutate: (b) => ({ ...b, signature: "0x1234" }), field: "signature" },
  ];
  for (const c of malformedCases) {
    it(`refuses a malformed application: ${c.id}`, async function () {
      const body = await signedBody(randomWallet());
      const answer = await post(`${manual.url}/v1/applications`, c.mutate(body));
      expect(answer.status).to.equal(400);
      expect(answer.body.error).to.equal("MALFORMED");
      expect(answer.body.details?.field).to.equal(c.field);
      expect(await pendingCount()).to.equal(0);
    });
  }

  it("refuses unparsable JSON and an oversized body", async function () {
    const bad = await post(`${manual.url}/v1/applications`, "{not json", true);
    expect(bad.status).to.equal(400);
    expect(bad.body.error).to.equal("MALFORMED");
    const big = await post(`${manual.url}/v1/applications`, { padding: "x".repeat(5_000) });
    expect(big.status).to.equal(413);
    expect(big.body.error).to.equal("MALFORMED");
    expect(await pendingCount()).to.equal(0);
  });

  it("refuses a signature by another key, a signature for another chain, and an unrecoverable one", async function () {
    const candidate = randomWallet();
    const app = application(candidate);
    const byOther = await signApplication(randomWallet(), app, registries.domain);
    const otherChain = await signApplication(candidate, app, { ...registries.domain, chainId: 1n });
    for (const signed of [byOther, otherChain]) {
      const answer = await post(`${manual.url}/v1/applications`, submitBodyToJson(signed));
      expect(answer.status).to.equal(401);
      expect(answer.body.error).to.equal("BAD_SIGNATURE");
      expect(answer.body.message).to.contain(`application for ${app.candidate} is signed by`);
    }
    const garbage = { ...submitBodyToJson(byOther), signature: `0x${"00".repeat(65)}` };
    expect((await post(`${manual.url}/v1/applications`, garbage)).body.error).to.equal("BAD_SIGNATURE");
    expect(await pendingCount()).to.equal(0);
  });

  it("refuses a stale nonce, naming the expected one", async function () {
    const answer = await post(`${manual.url}/v1/applications`, await signedBody(randomWallet(), { nonce: 3n }));
    expect(answer.status).to.equal(409);
    expect(answer.body).to.deep.include({ error: "STALE_NONCE", details: { nonce: "3", expected: "0" } });
    expect(await pendingCount()).to.equal(0);
  });

  it("refuses an application replayed, even when two copies race", async function () {
    const body = await signedBody(randomWallet());
    const answers = await Promise.all([
      post(`${manual.url}/v1/applications`, body),
      post(`${manual.url}/v1/applications`, body),
    ]);
    expect(answers.map((a) => a.status).sort()).to.deep.equal([201, 409]);
    expect(answers.find((a) => a.status === 409)?.body.error).to.equal("REPLAYED");
    expect(await pendingCount()).to.equal(1);
  });

  it("answers 404 for an unknown id and 400 for a malformed one", async function () {
    expect((await get(`${manual.url}/v1/applications/0x${"ab".repeat(32)}`)).status).to.equal(404);
    expect((await get(`${manual.url}/v1/applications/42`)).body.error).to.equal("MALFORMED");
    expect((await get(`${manual.url}/v1/applications?status=approved`)).status).to.equal(400);
  });

  describe("operators' decisions", function () {
    let id: Hex;
    before(async function () {
      const candidate = randomWallet();
      const signed = await signApplication(candidate, application(candidate), registries.domain);
      id = applicationId(signed.application, registries.domain);
      expect((await post(`${manual.url}/v1/applications`, submitBodyToJson(signed))).status).to.equal(201);
    });

    async function decisionBody(signer: Wallet, fields: { approve?: boolean; issuedAt?: bigint; auditor?: Address }) {
      const decision = {
        auditor: fields.auditor ?? manual.address,
        applicationId: id,
        approve: fields.approve ?? true,
        reason: "checked",
        issuedAt: fields.issuedAt ?? now(),
      };
      const operatorSignature = await signDecision(signer, decision, registries.domain);
      return {
        approve: decision.approve,
        reason: decision.reason,
        issuedAt: decision.issuedAt.toString(),
        operatorSignature,
      };
    }

    it("refuses a decision by a non-operator, an old one, and one made for another auditor", async function () {
      const url = `${manual.url}/v1/applications/${id}/decision`;
      const notOperator = await post(url, await decisionBody(randomWallet(), {}));
      expect(notOperator.status).to.equal(403);
      expect(notOperator.body.error).to.equal("NOT_OPERATOR");
      const old = await post(url, await decisionBody(operatorKey, { issuedAt: now() - 3_600n }));
      expect(old.status).to.equal(401);
      expect(old.body.error).to.equal("DECISION_EXPIRED");
      const elsewhere = await post(url, await decisionBody(operatorKey, { auditor: automatic.address }));
      expect(elsewhere.body.error).to.equal("NOT_OPERATOR");
      expect((await get(`${manual.url}/v1/applications/${id}`)).body.status).to.equal("pending");
    });

    it("accepts one decision and refuses the next, even when two race, and refuses its replay", async function () {
      const url = `${manual.url}/v1/applications/${id}/decision`;
      const bodies = [
        await decisionBody(operatorKey, { approve: false }),
        await decisionBody(operatorKey, { approve: true }),
      ];
      const answers = await Promise.all(bodies.map((body) => post(url, body)));
      expect(answers.map((a) => a.status).sort()).to.deep.equal([200, 409]);
      const winner = answers.findIndex((a) => a.status === 200);
      const final = await get(`${manual.url}/v1/applications/${id}`);
      expect(final.body.status).to.equal(winner === 0 ? "rejected" : "approved");
      const replay = await post(url, bodies[winner]);
      expect(replay.status).to.equal(409);
      expect(replay.body.error).to.equal("ALREADY_DECIDED");
    });
  });

  it("refuses an application for a candidate already registered", async function () {
    const candidate = randomWallet();
    const signed = await signApplication(candidate, application(candidate), registries.domain);
    const accepted = await post(`${automatic.url}/v1/applications`, submitBodyToJson(signed));
    expect(accepted.body.status).to.equal("approved");
    const record = (
      await get(`${automatic.url}/v1/applications/${applicationId(signed.application, registries.domain)}`)
    ).body as unknown as { credential: { issuedAt: string; expiresAt: string; signature: string } };
    const [, operator] = await ethers.getSigners();
    await registries.candidates.connect(operator).registerCandidate(
      {
        candidate: candidate.address,
        qualificationHash: qualificationHash(signed.application.qualification),
        signatures: [{ approve: true, ...record.credential }],
      },
      { value: MIN_DEPOSIT },
    );
    const again = await post(`${manual.url}/v1/applications`, await signedBody(candidate, { nonce: 1n }));
    expect(again.status).to.equal(409);
    expect(again.body.error).to.equal("ALREADY_REGISTERED");
  });

  it("settles a pending application as superseded once the candidate registered through other auditors", async function () {
    const candidate = randomWallet();
    const signed = await signApplication(candidate, application(candidate), registries.domain);
    const id = applicationId(signed.application, registries.domain);
    // The same application waits at the manual auditor while the automatic one approves it.
    expect((await post(`${manual.url}/v1/applications`, submitBodyToJson(signed))).status).to.equal(201);
    const approved = await post(`${automatic.url}/v1/applications`, submitBodyToJson(signed));
    expect(approved.body.status).to.equal("approved");
    const credential = (
      (await get(`${automatic.url}/v1/applications/${id}`)).body as unknown as {
        credential: { issuedAt: string; expiresAt: string; signature: string };
      }
    ).credential;
    const [, operator] = await ethers.getSigners();
    await registries.candidates.connect(operator).registerCandidate(
      {
        candidate: candidate.address,
        qualificationHash: qualificationHash(signed.application.qualification),
        signatures: [{ approve: true, ...credential }],
      },
      { value: MIN_DEPOSIT },
    );
    // An operator approving now learns why there is nothing to decide, not "all review rules passed".
    const decision = {
      auditor: manual.address,
      applicationId: id,
      approve: true,
      reason: "looks fine",
      issuedAt: now(),
    };
    const operatorSignature = await signDecision(operatorKey, decision, registries.domain);
    const approve = await post(`${manual.url}/v1/applications/${id}/decision`, {
      approve: decision.approve,
      reason: decision.reason,
      issuedAt: decision.issuedAt.toString(),
      operatorSignature,
    });
    expect(approve.status).to.equal(409);
    expect(approve.body.error).to.equal("SUPERSEDED");
    expect(approve.body.message).to.contain("superseded").and.to.contain("already registered on L1 (status Active)");
    const record = (await get(`${manual.url}/v1/applications/${id}`)).body as unknown as {
      status: string;
      advice?: string;
      decision: { by: string; reason: string };
    };
    expect(record.status).to.equal("superseded");
    expect(record.advice).to.equal(undefined);
    expect(record.decision).to.include({ by: "l1" });
    expect(await pendingIds()).not.to.include(id);
  });

  it("drops superseded applications from the queue when it is listed, without a decision", async function () {
    const candidate = randomWallet();
    const signed = await signApplication(candidate, application(candidate), registries.domain);
    expect((await post(`${manual.url}/v1/applications`, submitBodyToJson(signed))).status).to.equal(201);
    const id = applicationId(signed.application, registries.domain);
    expect(await pendingIds()).to.include(id);
    const approved = await post(`${automatic.url}/v1/applications`, submitBodyToJson(signed));
    const { credential } = (await get(`${automatic.url}/v1/applications/${id}`)).body as unknown as {
      credential: { issuedAt: string; expiresAt: string; signature: string };
    };
    expect(approved.body.status).to.equal("approved");
    const [, operator] = await ethers.getSigners();
    await registries.candidates.connect(operator).registerCandidate(
      {
        candidate: candidate.address,
        qualificationHash: qualificationHash(signed.application.qualification),
        signatures: [{ approve: true, ...credential }],
      },
      { value: MIN_DEPOSIT },
    );
    expect(await pendingIds()).not.to.include(id);
    expect((await get(`${manual.url}/v1/applications/${id}`)).body.status).to.equal("superseded");
  });

  it("answers 503 when its credit source fails, and stores nothing", async function () {
    const broken = await runAuditor({
      wallet: auditorKeys[0],
      dir: join(dir.path, "broken"),
      registries,
      config: { review: { mode: "automatic" }, credit: { file: "missing.json" } },
    });
    try {
      const candidate = randomWallet();
      const signed = await signApplication(candidate, application(candidate), registries.domain);
      const answer = await post(`${broken.url}/v1/applications`, submitBodyToJson(signed));
      expect(answer.status).to.equal(503);
      expect(answer.body.error).to.equal("SOURCE_UNAVAILABLE");
      expect(answer.body.message).to.contain("credit source failed");
      const id = applicationId(signed.application, registries.domain);
      expect((await get(`${broken.url}/v1/applications/${id}`)).status).to.equal(404);
    } finally {
      await broken.close();
    }
  });

  it("bounds the manual queue: beyond maxPendingApplications it answers 503 and stores nothing", async function () {
    const small = await runAuditor({
      wallet: auditorKeys[1],
      dir: join(dir.path, "small"),
      registries,
      config: { review: { mode: "manual" }, credit: { file: "../credit.json" }, maxPendingApplications: 2 },
    });
    try {
      for (let i = 0; i < 2; i++) {
        expect((await post(`${small.url}/v1/applications`, await signedBody(randomWallet()))).status).to.equal(201);
      }
      const candidate = randomWallet();
      const signed = await signApplication(candidate, application(candidate), registries.domain);
      const full = await post(`${small.url}/v1/applications`, submitBodyToJson(signed));
      expect(full.status).to.equal(503);
      expect(full.body).to.deep.include({ error: "QUEUE_FULL", details: { max: 2 } });
      const id = applicationId(signed.application, registries.domain);
      expect((await get(`${small.url}/v1/applications/${id}`)).status).to.equal(404);
    } finally {
      await small.close();
    }
  });
});
