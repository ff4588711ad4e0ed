import type { TypedDataDomain } from "ethers";
import type { Logger } from "../../log";
import type { CredentialFields } from "../credential";
import type { Address, Hex } from "../../types/primitives";
import {
  applicationId,
  NO_DEPOSIT_TX,
  qualificationHash,
  recoverApplicationSigner,
  recoverConsentSigner,
  type ApplicationDomainParams,
  type CandidateApplication,
  type SignedApplication,
} from "../application";
import type { RegistryView } from "./l1Reads";
import type { CreditSource } from "./credit";
import { verifyDecision } from "./decision";
import { AuditorError, AuditorErrorCode, fromSource } from "../errors";
import { whyClosed } from "./eligibility";
import { review, type ReviewOutcome, type ReviewRules } from "./rules";
import { measuredAtSeconds } from "../../qualification/transcript";
import type { ApplicationRecord, Decision, IssuedCredential, MeasuredFigures } from "../applicationRecord";
import type { AuditorStore, MeasurementRecord } from "./store";
import type { DecisionBody, SubmitBody } from "../apiJson";

/** The CandidateRegistry `Credential` an auditor signs (EIP-712 schema in node/types/eip712.ts). */
/** The `Credential` (or, for a renewal, `Renewal`) an auditor signs (schemas in node/types/eip712.ts). */
export type CredentialToSign = CredentialFields & {
  readonly candidate: Address;
  readonly operator: Address;
  readonly qualificationHash: Hex;
};

export type ReviewMode = "automatic" | "manual";

export interface AuditorServiceDeps {
  readonly store: AuditorStore;
  readonly chain: RegistryView;
  readonly credit: CreditSource;
  readonly domain: ApplicationDomainParams;
  /** CandidateRegistry's EIP-712 domain (its eip712Domain()): the candidate's consent is checked in it. */
  readonly registryDomain: TypedDataDomain;
  /** This auditor's address (the key behind signCredential). */
  readonly auditor: Address;
  /** Signs a Credential with the auditor's key; the key itself never reaches the service. */
  readonly signCredential: (credential: CredentialToSign) => Promise<Hex>;
  readonly mode: ReviewMode;
  readonly rules: ReviewRules;
  readonly operators: readonly Address[];
  readonly credentialValiditySeconds: bigint;
  readonly decisionMaxSkewSeconds: bigint;
  /** A bound on the manual queue, so that anyone with free keys cannot grow it without end. */
  readonly maxPendingApplications: number;
  /** Wall clock in unix seconds, for operators' decision timestamps. */
  readonly nowSeconds: () => bigint;
  /** Called with every new, locally submitted application (forwarding to peers). */
  readonly onAccepted?: (signed: SignedApplication) => void;
  readonly log: Logger;
}

/**
 * The auditor's logic, apart from HTTP: accept an application (checked, stored), review it by the
 * rules or queue it for an operator, record decisions, and sign a credential on approval — once per
 * application, whatever is retried or restarted.
 */
export class AuditorService {
  /** Serializes work per application id, so two racing requests cannot both decide (or sign) it. */
  private readonly locks = new Map<Hex, Promise<unknown>>();

  constructor(private readonly deps: AuditorServiceDeps) {}

  async submit(body: SubmitBody): Promise<ApplicationRecord> {
    const { application, signature, consentSignature } = body;
    const signed: SignedApplication = { application, signature, consentSignature };
    const id = applicationId(signed.application, this.deps.domain);
    // Two different applications citing one measurement must not both pass the "not used yet" check:
    // work is serialized on the cited challenge as well as on the application id.
    const cited = signed.application.qualification.measurements.find((m) => m.auditor === this.deps.auditor);
    const accept = () => this.withLock(id, () => this.accept(id, signed));
    const record = await (cited ? this.withLock(cited.challenge, accept) : accept());
    this.deps.log.info(
      { id, candidate: record.application.candidate, status: record.status, reason: record.decision?.reason },
      "application accepted",
    );
    if (!body.forwarded) this.deps.onAccepted?.(signed);
    return record;
  }

  async decide(id: Hex, body: DecisionBody): Promise<ApplicationRecord> {
    return this.withLock(id, async () => {
      const record = await this.mustGet(id);
      const { approve, reason, issuedAt } = body;
      const decision = { auditor: this.deps.auditor, applicationId: id, approve, reason, issuedAt };
      const operator = verifyDecision(decision, body.operatorSignature, this.deps.domain, {
        operators: this.deps.operators,
        nowSeconds: this.deps.nowSeconds(),
        maxSkewSeconds: this.deps.decisionMaxSkewSeconds,
      });
      if (record.status !== "pending") {
        const why = record.status === "superseded" ? ` (${record.decision?.reason})` : "";
        throw new AuditorError(
          AuditorErrorCode.ALREADY_DECIDED,
          `application ${id} is already ${record.status}${why}`,
          { id, status: record.status },
        );
      }
      const closed = await whyClosed(this.deps.chain, record.application);
      if (closed !== undefined) {
        await this.supersede(record, closed.message);
        throw new AuditorError(
          AuditorErrorCode.SUPERSEDED,
          `application ${id} is superseded, nothing to decide: ${closed.message}`,
          { id, ...closed.details },
        );
      }
      const decided = await this.record(record, { approve: body.approve, reason: body.reason, by: operator });
      this.deps.log.info({ id, operator, approve: body.approve, reason: body.reason }, "operator decided");
      return decided;
    });
  }

  async get(id: Hex): Promise<ApplicationRecord> {
    return this.mustGet(id);
  }

  /** The pending applications, after settling those L1 has overtaken (so none is shown in vain). */
  async listPending(limit: number): Promise<ApplicationRecord[]> {
    await this.settleSuperseded(limit);
    return this.deps.store.listPending(limit);
  }

  /**
   * Marks pending applications "superseded" once L1 shows their candidate registered (through other
   * auditors) or its registration nonce moved on: an operator could no longer approve them usefully,
   * and the queue must not keep them forever. Returns how many it settled.
   */
  async settleSuperseded(limit = 100): Promise<number> {
    let settled = 0;
    for (const record of await this.deps.store.listPending(limit)) {
      const closed = await whyClosed(this.deps.chain, record.application);
      if (closed === undefined) continue;
      await this.withLock(record.id, async () => {
        const current = await this.mustGet(record.id);
        if (current.status === "pending") await this.supersede(current, closed.message);
      });
      settled++;
    }
    return settled;
  }

  private async supersede(record: ApplicationRecord, reason: string): Promise<void> {
    const decidedAt = await fromSource("L1", this.deps.chain.latestTimestamp());
    const decision: Decision = { approve: false, reason, by: "l1", decidedAt };
    await this.deps.store.put({ ...record, status: "superseded", decision, advice: undefined });
    this.deps.log.info({ id: record.id, candidate: record.application.candidate, reason }, "application superseded");
  }

  private async accept(id: Hex, signed: SignedApplication): Promise<ApplicationRecord> {
    const app = signed.application;
    const signer = recoverApplicationSigner(signed, this.deps.domain);
    if (signer !== app.candidate) {
      throw new AuditorError(
        AuditorErrorCode.BAD_SIGNATURE,
        `application for ${app.candidate} is signed by ${signer}; the candidate's key must sign it`,
        { candidate: app.candidate, signer },
      );
    }
    const consenter = recoverConsentSigner(signed, this.deps.registryDomain);
    if (consenter !== app.candidate) {
      throw new AuditorError(
        AuditorErrorCode.BAD_SIGNATURE,
        `the CandidateConsent for ${app.candidate} by operator ${app.operator} at nonce ${app.nonce} is signed by ` +
          `${consenter}; the candidate's key must sign it`,
        { field: "consentSignature", candidate: app.candidate, signer: consenter },
      );
    }
    const existing = await this.deps.store.get(id);
    if (existing) {
      throw new AuditorError(
        AuditorErrorCode.REPLAYED,
        `application ${id} was already submitted (${existing.status})`,
        {
          id,
          status: existing.status,
        },
      );
    }
    const measurement = await this.citedMeasurement(id, app);
    await this.checkStillOpen(app);
    const measured = figuresOf(measurement);
    const outcome = await this.runRules(app, measured);
    const pending: ApplicationRecord = {
      id,
      application: app,
      signature: signed.signature,
      consentSignature: signed.consentSignature,
      receivedAt: this.deps.nowSeconds(),
      status: "pending",
      measured,
      advice: this.deps.mode === "manual" ? outcome.reason : undefined,
    };
    if (this.deps.mode === "manual") {
      const max = this.deps.maxPendingApplications;
      if ((await this.deps.store.countPending(max)) >= max) {
        throw new AuditorError(AuditorErrorCode.QUEUE_FULL, `the review queue is full (${max} pending); retry later`, {
          max,
        });
      }
      await this.deps.store.put(pending, measurement);
      return pending;
    }
    return this.record(pending, { ...outcome, by: "rules" }, measurement);
  }

  /**
   * The measurement this auditor made for the application: the challenge it cites must have been
   * finished here, issued to this candidate, with the transcript this auditor recorded, and not
   * already back another application. Figures the auditor did not measure never reach the rules.
   */
  private async citedMeasurement(id: Hex, app: CandidateApplication): Promise<MeasurementRecord> {
    const { auditor } = this.deps;
    const cited = app.qualification.measurements.find((m) => m.auditor === auditor);
    if (!cited) {
      throw new AuditorError(
        AuditorErrorCode.NOT_MEASURED,
        `the application cites no challenge of auditor ${auditor}; answer its challenge (POST /v1/challenges) first`,
        { field: "qualification.measurements", auditor },
      );
    }
    const measurement = await this.deps.store.getMeasurement(cited.challenge);
    if (!measurement) {
      throw new AuditorError(
        AuditorErrorCode.NOT_MEASURED,
        `challenge ${cited.challenge} was not finished at auditor ${auditor}: nothing was measured`,
        { field: "qualification.measurements", challenge: cited.challenge },
      );
    }
    const t = measurement.transcript;
    if (t.candidate !== app.candidate) {
      throw new AuditorError(
        AuditorErrorCode.MEASUREMENT_MISMATCH,
        `challenge ${cited.challenge} was issued to ${t.candidate}, not to ${app.candidate}`,
        { field: "qualification.measurements", given: app.candidate, expected: t.candidate },
      );
    }
    if (cited.transcriptHash !== measurement.transcriptHash) {
      throw new AuditorError(
        AuditorErrorCode.MEASUREMENT_MISMATCH,
        `the application cites transcript ${cited.transcriptHash} for challenge ${cited.challenge}, ` +
          `but this auditor recorded ${measurement.transcriptHash}`,
        { field: "qualification.measurements", given: cited.transcriptHash, expected: measurement.transcriptHash },
      );
    }
    if (measurement.usedBy !== undefined && measurement.usedBy !== id) {
      throw new AuditorError(
        AuditorErrorCode.MEASUREMENT_USED,
        `challenge ${cited.challenge} already backs application ${measurement.usedBy}; answer a new challenge`,
        { challenge: cited.challenge, usedBy: measurement.usedBy },
      );
    }
    return measurement;
  }

  /** Refuses an application the registry would refuse: see eligibility.ts. */
  private async checkStillOpen(app: CandidateApplication): Promise<void> {
    const closed = await whyClosed(this.deps.chain, app);
    if (closed !== undefined) throw new AuditorError(closed.code, closed.message, closed.details);
  }

  private async runRules(app: CandidateApplication, measured: MeasuredFigures): Promise<ReviewOutcome> {
    const q = app.qualification;
    const [chainMinDeposit, sourceCreditValue, paidDeposit] = await Promise.all([
      fromSource("L1", this.deps.chain.minDeposit()),
      fromSource("credit source", this.deps.credit.creditOf(app.operator)),
      q.depositTx === NO_DEPOSIT_TX ? undefined : fromSource("L1", this.deps.chain.paidBy(q.depositTx, app.operator)),
    ]);
    return review(app, this.deps.rules, {
      nowSeconds: this.deps.nowSeconds(),
      measured,
      chainMinDeposit,
      sourceCreditValue,
      paidDeposit,
    });
  }

  /** Records a decision; an approval signs the credential and stores it in the same durable write. */
  private async record(
    record: ApplicationRecord,
    verdict: { approve: boolean; reason: string; by: Decision["by"] },
    newMeasurement?: MeasurementRecord,
  ): Promise<ApplicationRecord> {
    const now = await fromSource("L1", this.deps.chain.latestTimestamp());
    const decision: Decision = { ...verdict, decidedAt: now };
    const credential = verdict.approve ? await this.issueCredential(record.application, now) : undefined;
    const decided: ApplicationRecord = {
      ...record,
      status: verdict.approve ? "approved" : "rejected",
      decision,
      credential,
    };
    await this.deps.store.put(decided, newMeasurement);
    return decided;
  }

  private async issueCredential(app: CandidateApplication, now: bigint): Promise<IssuedCredential> {
    // issuedAt is L1 time, not the wall clock: the contract accepts issuedAt <= block.timestamp.
    // The operator is bound into the credential: only that account can register with it (issue 10 §2).
    // A renewal signs its own type with the renewalNonce standing now: it can never register anyone.
    const renewal = app.renew ? await fromSource("L1", this.deps.chain.renewalNonce(app.candidate)) : undefined;
    const fields: CredentialToSign = {
      candidate: app.candidate,
      operator: app.operator,
      qualificationHash: qualificationHash(app.qualification),
      approve: true,
      issuedAt: now,
      expiresAt: now + this.deps.credentialValiditySeconds,
      nonce: app.nonce,
      ...(renewal !== undefined && { renewal }),
    };
    const signature = await this.deps.signCredential(fields);
    return { ...fields, auditor: this.deps.auditor, signature };
  }

  private async mustGet(id: Hex): Promise<ApplicationRecord> {
    const record = await this.deps.store.get(id);
    if (!record) throw new AuditorError(AuditorErrorCode.NOT_FOUND, `no application ${id}`, { id });
    return record;
  }

  private async withLock<T>(id: Hex, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(id) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.locks.set(id, settled);
    try {
      return await next;
    } finally {
      if (this.locks.get(id) === settled) this.locks.delete(id);
    }
  }
}

function figuresOf(m: MeasurementRecord): MeasuredFigures {
  return {
    challenge: m.transcript.challenge,
    transcriptHash: m.transcriptHash,
    powHashesPerSecond: m.transcript.powHashesPerSecond,
    sigVerificationsPerSecond: m.transcript.sigVerificationsPerSecond,
    measuredAt: measuredAtSeconds(m.transcript),
  };
}
