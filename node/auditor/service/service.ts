import type { Logger } from "../../log";
import type { Credential } from "../../types/eip712";
import type { Address, Hex } from "../../types/primitives";
import {
  applicationId,
  NO_DEPOSIT_TX,
  qualificationHash,
  recoverApplicationSigner,
  type ApplicationDomainParams,
  type CandidateApplication,
  type SignedApplication,
} from "../application";
import { CandidateStatus, type RegistryView } from "./l1Reads";
import type { CreditSource } from "./credit";
import { verifyDecision } from "./decision";
import { AuditorError, AuditorErrorCode } from "../errors";
import { review, type ReviewOutcome, type ReviewRules } from "./rules";
import type { ApplicationRecord, Decision, IssuedCredential } from "../applicationRecord";
import type { AuditorStore } from "./store";
import type { DecisionBody, SubmitBody } from "../apiJson";

/** The CandidateRegistry `Credential` an auditor signs (EIP-712 schema in node/types/eip712.ts). */
export type CredentialToSign = Credential & { readonly candidate: Address; readonly qualificationHash: Hex };

export type ReviewMode = "automatic" | "manual";

export interface AuditorServiceDeps {
  readonly store: AuditorStore;
  readonly chain: RegistryView;
  readonly credit: CreditSource;
  readonly domain: ApplicationDomainParams;
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
    const signed: SignedApplication = { application: body.application, signature: body.signature };
    const id = applicationId(signed.application, this.deps.domain);
    const record = await this.withLock(id, () => this.accept(id, signed));
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
      const closed = await this.whyClosed(record.application);
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
      const closed = await this.whyClosed(record.application);
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
    await this.checkStillOpen(app);
    const outcome = await this.runRules(app);
    const pending: ApplicationRecord = {
      id,
      application: app,
      signature: signed.signature,
      receivedAt: this.deps.nowSeconds(),
      status: "pending",
      advice: this.deps.mode === "manual" ? outcome.reason : undefined,
    };
    if (this.deps.mode === "manual") {
      const max = this.deps.maxPendingApplications;
      if ((await this.deps.store.countPending(max)) >= max) {
        throw new AuditorError(AuditorErrorCode.QUEUE_FULL, `the review queue is full (${max} pending); retry later`, {
          max,
        });
      }
      await this.deps.store.put(pending);
      return pending;
    }
    return this.record(pending, { ...outcome, by: "rules" });
  }

  /** Refuses an application whose candidate is registered, or whose nonce is not the current one. */
  private async checkStillOpen(app: CandidateApplication): Promise<void> {
    const closed = await this.whyClosed(app);
    if (closed !== undefined) throw new AuditorError(closed.code, closed.message, closed.details);
  }

  /** Why L1 no longer lets this application register, if it does not. */
  private async whyClosed(
    app: CandidateApplication,
  ): Promise<{ code: AuditorErrorCode; message: string; details: Record<string, string> } | undefined> {
    const [status, nonce] = await Promise.all([
      fromSource("L1", this.deps.chain.candidateStatus(app.candidate)),
      fromSource("L1", this.deps.chain.registrationNonce(app.candidate)),
    ]);
    // Active, or removed with its deposit still escrowed: registerCandidate would revert either way.
    if (status !== CandidateStatus.None && status !== CandidateStatus.Refunded) {
      return {
        code: AuditorErrorCode.ALREADY_REGISTERED,
        message: `candidate ${app.candidate} is already registered on L1 (status ${CandidateStatus[status]})`,
        details: { candidate: app.candidate, status: CandidateStatus[status] },
      };
    }
    if (nonce !== app.nonce) {
      return {
        code: AuditorErrorCode.STALE_NONCE,
        message: `application nonce ${app.nonce} is not the candidate's registrationNonce ${nonce}`,
        details: { nonce: app.nonce.toString(), expected: nonce.toString() },
      };
    }
    return undefined;
  }

  private async runRules(app: CandidateApplication): Promise<ReviewOutcome> {
    const q = app.qualification;
    const [chainMinDeposit, sourceCreditValue, paidDeposit] = await Promise.all([
      fromSource("L1", this.deps.chain.minDeposit()),
      fromSource("credit source", this.deps.credit.creditOf(app.operator)),
      q.depositTx === NO_DEPOSIT_TX ? undefined : fromSource("L1", this.deps.chain.paidBy(q.depositTx, app.operator)),
    ]);
    return review(app, this.deps.rules, {
      nowSeconds: this.deps.nowSeconds(),
      chainMinDeposit,
      sourceCreditValue,
      paidDeposit,
    });
  }

  /** Records a decision; an approval signs the credential and stores it in the same durable write. */
  private async record(
    record: ApplicationRecord,
    verdict: { approve: boolean; reason: string; by: Decision["by"] },
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
    await this.deps.store.put(decided);
    return decided;
  }

  private async issueCredential(app: CandidateApplication, now: bigint): Promise<IssuedCredential> {
    // issuedAt is L1 time, not the wall clock: the contract accepts issuedAt <= block.timestamp.
    const fields: CredentialToSign = {
      candidate: app.candidate,
      qualificationHash: qualificationHash(app.qualification),
      approve: true,
      issuedAt: now,
      expiresAt: now + this.deps.credentialValiditySeconds,
      nonce: app.nonce,
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

/** A failure of a source the review depends on is the auditor's problem, not the applicant's: a 503. */
async function fromSource<T>(source: string, read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (err) {
    throw new AuditorError(AuditorErrorCode.SOURCE_UNAVAILABLE, `${source} failed: ${(err as Error).message}`, {
      source,
    });
  }
}
