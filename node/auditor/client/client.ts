import type { z } from "zod";
import type { Address, Hex } from "../../types/primitives";
import type { SignedApplication } from "../application";
import {
  challengeResponseSchema,
  measurementResponseSchema,
  signatureBatchResponseSchema,
  type ChallengeResponse,
  type MeasurementResponse,
  type SignatureBatchResponse,
  infoResponseSchema,
  recordResponseSchema,
  submitBodyToJson,
  type DecisionBody,
  type InfoResponse,
  type RecordResponse,
} from "../apiJson";

/** A refusal or failure answered by an auditor: its HTTP status and its JSON error, when it sent one. */
export class AuditorHttpError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = "AuditorHttpError";
  }
}

/**
 * The auditor API seen from outside, used by peers (forwarding, bundles), the `apply` client, the
 * Hardhat task and the operator CLI. Every call has a timeout, so a dead auditor costs at most that.
 */
export class AuditorClient {
  readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly timeoutMs: number,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
  }

  info(): Promise<InfoResponse> {
    return this.request("GET", "/v1/info", undefined, infoResponseSchema);
  }

  submit(signed: SignedApplication, forwarded = false): Promise<RecordResponse> {
    return this.request("POST", "/v1/applications", submitBodyToJson(signed, forwarded), recordResponseSchema);
  }

  /** Asks for a qualification challenge for `candidate` (stage 1: proof of work). */
  challenge(candidate: Address): Promise<ChallengeResponse> {
    return this.request("POST", "/v1/challenges", { candidate }, challengeResponseSchema);
  }

  /** Answers stage 1; the auditor reveals the stage-2 signature batch. */
  answerPow(challenge: Hex, nonces: readonly bigint[]): Promise<SignatureBatchResponse> {
    const body = { nonces: nonces.map((n) => n.toString()) };
    return this.request("POST", `/v1/challenges/${challenge}/pow`, body, signatureBatchResponseSchema);
  }

  /** Answers stage 2; the auditor returns the transcript of what it measured. */
  answerSignatures(challenge: Hex, validBitmap: Hex): Promise<MeasurementResponse> {
    return this.request("POST", `/v1/challenges/${challenge}/signatures`, { validBitmap }, measurementResponseSchema);
  }

  /** The transcript of a finished challenge, as the auditor recorded it. */
  measurement(challenge: Hex): Promise<MeasurementResponse> {
    return this.request("GET", `/v1/challenges/${challenge}`, undefined, measurementResponseSchema);
  }

  status(id: Hex): Promise<RecordResponse> {
    return this.request("GET", `/v1/applications/${id}`, undefined, recordResponseSchema);
  }

  async pending(): Promise<RecordResponse[]> {
    const list = await this.request("GET", "/v1/applications?status=pending", undefined, undefined);
    return (list as { applications: unknown[] }).applications.map((r) => recordResponseSchema.parse(r));
  }

  decide(id: Hex, body: DecisionBody): Promise<RecordResponse> {
    const json = {
      approve: body.approve,
      reason: body.reason,
      issuedAt: body.issuedAt.toString(),
      operatorSignature: body.operatorSignature,
    };
    return this.request("POST", `/v1/applications/${id}/decision`, json, recordResponseSchema);
  }

  private async request<S extends z.ZodType>(
    method: "GET" | "POST",
    path: string,
    body: unknown,
    schema: S | undefined,
  ): Promise<z.output<S>> {
    const url = this.baseUrl + path;
    const response = await fetch(url, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    const json = text.length > 0 ? (JSON.parse(text) as unknown) : undefined;
    if (!response.ok) {
      const err = (json ?? {}) as { error?: string; message?: string };
      throw new AuditorHttpError(url, response.status, err.error, `${url}: ${response.status} ${err.message ?? text}`);
    }
    return schema ? schema.parse(json) : (json as z.output<S>);
  }
}
