import type { TypedDataDomain } from "ethers";
import Fastify, { LogController, type FastifyError } from "fastify";
import type { Logger } from "../../log";
import type { Address, Hex } from "../../types/primitives";
import { gatherBundle, bundleToJson } from "../client/bundle";
import type { AuditorClient } from "../client/client";
import { AuditorError, AuditorErrorCode } from "../errors";
import type { AuditorService, ReviewMode } from "./service";
import type { ChallengeDesk } from "./challenges";
import {
  challengeRequestSchema,
  decisionBodySchema,
  parseBody,
  powAnswerSchema,
  recordToJson,
  signatureAnswerSchema,
  submitBodySchema,
  transcriptToJson,
} from "../apiJson";
import { registryErrorOf } from "../../l1/registryErrors";

export interface AuditorServerOptions {
  readonly service: AuditorService;
  /** Issues and checks the qualification challenges. */
  readonly challenges: ChallengeDesk;
  readonly auditor: Address;
  readonly chainId: bigint;
  readonly candidateRegistry: Address;
  /** CandidateRegistry's EIP-712 domain, to check the credentials a bundle gathers. */
  readonly credentialDomain: TypedDataDomain;
  readonly mode: ReviewMode;
  /** The other auditors: forwarded to, and asked for their credentials when building a bundle. */
  readonly peers: readonly AuditorClient[];
  /** The auditors a bundle asks: this one (through its own URL, known once listening) and the peers. */
  readonly bundleAuditors: () => readonly AuditorClient[];
  readonly bodyLimitBytes: number;
  readonly log: Logger;
}

const ID_PATTERN = /^0x[0-9a-f]{64}$/;
const MAX_LIST = 500;

/**
 * The auditor's HTTP API (fastify). Every route validates its input and turns a refusal into a 4xx
 * with `{ error, message, details }`; nothing is stored for a refused request.
 */
export function buildAuditorServer(opts: AuditorServerOptions) {
  // Per-request logs are off: the service logs each application and decision once, with its reason.
  const app = Fastify({
    loggerInstance: opts.log,
    bodyLimit: opts.bodyLimitBytes,
    logController: new LogController({ disableRequestLogging: true }),
  });
  const { service, auditor } = opts;

  app.setErrorHandler((err: FastifyError, _request, reply) => {
    if (err instanceof AuditorError) return reply.status(err.httpStatus).send(err.toJSON());
    if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
      // fastify's own refusals: body too large (413), unparsable JSON or wrong content type (400/415).
      return reply
        .status(err.statusCode)
        .send({ error: AuditorErrorCode.MALFORMED, message: err.message, details: {} });
    }
    // An L1 read that reverted logs the registry error by name, not its raw return data.
    opts.log.error({ err: registryErrorOf(err) ?? err.message }, "request failed");
    return reply.status(500).send({ error: "INTERNAL", message: "internal error", details: {} });
  });

  app.get("/v1/info", async () => ({
    auditor,
    chainId: opts.chainId.toString(),
    candidateRegistry: opts.candidateRegistry,
    mode: opts.mode,
    peers: opts.peers.map((p) => p.baseUrl),
  }));

  app.post("/v1/challenges", async (request, reply) => {
    const issued = opts.challenges.issue(parseBody(challengeRequestSchema, request.body).candidate);
    return reply.status(201).send({
      ...issued,
      issuedAtMs: issued.issuedAtMs.toString(),
      deadlineMs: issued.deadlineMs.toString(),
    });
  });

  app.post("/v1/challenges/:id/pow", async (request) => {
    const { nonces } = parseBody(powAnswerSchema, request.body);
    const revealed = await opts.challenges.answerPow(parseId(request.params, "challenge"), nonces);
    return { ...revealed, deadlineMs: revealed.deadlineMs.toString() };
  });

  app.post("/v1/challenges/:id/signatures", async (request) => {
    const { validBitmap } = parseBody(signatureAnswerSchema, request.body);
    const measured = await opts.challenges.answerSignatures(parseId(request.params, "challenge"), validBitmap);
    return { transcript: transcriptToJson(measured.transcript), transcriptHash: measured.transcriptHash };
  });

  // A finished measurement, for anyone checking what a credential's qualificationHash commits to.
  app.get("/v1/challenges/:id", async (request) => {
    const measured = await opts.challenges.measurement(parseId(request.params, "challenge"));
    return { transcript: transcriptToJson(measured.transcript), transcriptHash: measured.transcriptHash };
  });

  app.post("/v1/applications", async (request, reply) => {
    const record = await service.submit(parseBody(submitBodySchema, request.body));
    return reply.status(201).send(recordToJson(record, auditor));
  });

  app.get("/v1/applications", async (request) => {
    const query = request.query as { status?: string; limit?: string };
    if (query.status !== undefined && query.status !== "pending") {
      throw new AuditorError(AuditorErrorCode.MALFORMED, `only status=pending can be listed, not ${query.status}`);
    }
    const limit = Math.min(Number(query.limit ?? MAX_LIST) || MAX_LIST, MAX_LIST);
    const records = await service.listPending(limit);
    return { applications: records.map((r) => recordToJson(r, auditor)) };
  });

  app.get("/v1/applications/:id", async (request) => {
    return recordToJson(await service.get(parseId(request.params)), auditor);
  });

  app.post("/v1/applications/:id/decision", async (request) => {
    const id = parseId(request.params);
    const record = await service.decide(id, parseBody(decisionBodySchema, request.body));
    return recordToJson(record, auditor);
  });

  app.get("/v1/applications/:id/bundle", async (request) => {
    const id = parseId(request.params);
    const own = await service.get(id);
    const { application, signature, consentSignature } = own;
    const signed = { application, signature, consentSignature };
    const bundle = await gatherBundle(id, signed, opts.bundleAuditors(), opts.credentialDomain);
    return bundleToJson(bundle);
  });

  return app;
}

function parseId(params: unknown, what = "application"): Hex {
  const id = String((params as { id?: unknown }).id ?? "").toLowerCase();
  if (!ID_PATTERN.test(id)) {
    throw new AuditorError(AuditorErrorCode.MALFORMED, `${what} id must be a 0x-prefixed 32-byte hex string`, {
      id,
    });
  }
  return id as Hex;
}
export type AuditorServer = ReturnType<typeof buildAuditorServer>;
