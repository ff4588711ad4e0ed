import { hexlify } from "ethers";
import {
  checkPowAnswer,
  makeSignatureBatch,
  type ChallengeSpec,
  type SecretSignatureBatch,
} from "../../qualification/challenge";
import {
  measuredRates,
  powAnswerHash,
  signatureBatchHash,
  transcriptHash,
  type ChallengeTranscript,
} from "../../qualification/transcript";
import type { Address, Hex } from "../../types/primitives";
import { AuditorError, AuditorErrorCode } from "../errors";
import type { AuditorStore, MeasurementRecord } from "./store";

/**
 * The auditor's side of the qualification challenge (node/qualification/challenge.ts explains the
 * protocol). Open challenges live in memory, bounded in number and each with a deadline: they last
 * seconds, and one lost in a restart is simply asked again. A finished challenge — the auditor's own
 * measurement — is written to the store before it is answered, because applications cite it later.
 *
 * Every stage is answered once: a second answer is refused (replay), a late or wrong one spends
 * the challenge, so an applicant cannot keep guessing or retry until a fast-looking timing appears.
 */
export interface ChallengeDeskOptions {
  readonly auditor: Address;
  readonly spec: ChallengeSpec;
  /** Time allowed for each stage's answer. */
  readonly answerMs: bigint;
  /** Open challenges beyond this are refused with CHALLENGE_LIMIT. */
  readonly maxOpen: number;
  readonly store: AuditorStore;
  /** The auditor's clock in milliseconds: what the figures are measured with. */
  readonly nowMs: () => bigint;
  readonly random: (bytes: number) => Uint8Array;
}

export interface IssuedChallenge extends ChallengeSpec {
  readonly challenge: Hex;
  readonly auditor: Address;
  readonly candidate: Address;
  readonly issuedAtMs: bigint;
  readonly deadlineMs: bigint;
}

export interface RevealedBatch {
  readonly challenge: Hex;
  readonly publicKey: Hex;
  readonly signatures: readonly Hex[];
  readonly deadlineMs: bigint;
}

interface OpenChallenge {
  readonly issued: IssuedChallenge;
  /** Set once the PoW stage is answered: the secret batch and the stage-2 timing. */
  signatures?: {
    readonly powAnsweredAtMs: bigint;
    readonly powAnswerHash: Hex;
    readonly secret: SecretSignatureBatch;
    readonly issuedAtMs: bigint;
    readonly deadlineMs: bigint;
  };
}

export class ChallengeDesk {
  private readonly open = new Map<Hex, OpenChallenge>();

  constructor(private readonly opts: ChallengeDeskOptions) {}

  issue(candidate: Address): IssuedChallenge {
    this.dropExpired();
    if (this.open.size >= this.opts.maxOpen) {
      throw new AuditorError(
        AuditorErrorCode.CHALLENGE_LIMIT,
        `${this.open.size} challenges are open, the limit is ${this.opts.maxOpen}; retry later`,
        { max: this.opts.maxOpen },
      );
    }
    const issuedAtMs = this.opts.nowMs();
    const issued: IssuedChallenge = {
      ...this.opts.spec,
      challenge: hexlify(this.opts.random(32)) as Hex,
      auditor: this.opts.auditor,
      candidate,
      issuedAtMs,
      deadlineMs: issuedAtMs + this.opts.answerMs,
    };
    this.open.set(issued.challenge, { issued });
    return issued;
  }

  /** Stage 1: checks the PoW answer and reveals the signature batch (made only now: asking is free). */
  async answerPow(challenge: Hex, nonces: readonly bigint[]): Promise<RevealedBatch> {
    const receivedAtMs = this.opts.nowMs();
    const open = await this.mustBeOpen(challenge);
    if (open.signatures) throw answeredTwice(challenge, "proof of work");
    this.checkDeadline(open, open.issued.deadlineMs, receivedAtMs);
    const { issued } = open;
    const fault = checkPowAnswer(issued.challenge, issued.candidate, issued, nonces);
    if (fault) throw this.spend(challenge, AuditorErrorCode.BAD_ANSWER, `wrong proof of work: ${fault}`, "nonces");
    const secret = makeSignatureBatch(issued.challenge, issued.signatureCount, this.opts.random);
    // The stage-2 clock starts once the batch exists, so the auditor's own signing is not charged to the candidate.
    const issuedAtMs = this.opts.nowMs();
    open.signatures = {
      powAnsweredAtMs: receivedAtMs,
      powAnswerHash: powAnswerHash(nonces),
      secret,
      issuedAtMs,
      deadlineMs: issuedAtMs + this.opts.answerMs,
    };
    return { challenge, ...secret.batch, deadlineMs: open.signatures.deadlineMs };
  }

  /** Stage 2: checks the bitmap and records the measurement. */
  async answerSignatures(challenge: Hex, validBitmap: Hex): Promise<MeasurementRecord> {
    const receivedAtMs = this.opts.nowMs();
    const open = await this.mustBeOpen(challenge);
    const stage = open.signatures;
    if (!stage) {
      throw new AuditorError(
        AuditorErrorCode.CHALLENGE_ANSWERED,
        `challenge ${challenge}: answer the proof of work first`,
        { challenge, stage: "signatures" },
      );
    }
    this.checkDeadline(open, stage.deadlineMs, receivedAtMs);
    if (validBitmap.length !== stage.secret.validBitmap.length) {
      const bytes = (stage.secret.validBitmap.length - 2) / 2;
      throw this.spend(
        challenge,
        AuditorErrorCode.BAD_ANSWER,
        `validBitmap has ${(validBitmap.length - 2) / 2} bytes, expected ${bytes}`,
        "validBitmap",
      );
    }
    if (validBitmap !== stage.secret.validBitmap) {
      const wrong = misjudged(validBitmap, stage.secret.validBitmap, open.issued.signatureCount);
      throw this.spend(
        challenge,
        AuditorErrorCode.BAD_ANSWER,
        `wrong signature answer: ${wrong} of ${open.issued.signatureCount} signatures misjudged`,
        "validBitmap",
      );
    }
    this.open.delete(challenge);
    const transcript = this.transcript(open, stage, validBitmap, receivedAtMs);
    const measurement: MeasurementRecord = { transcript, transcriptHash: transcriptHash(transcript) };
    await this.opts.store.putMeasurement(measurement);
    return measurement;
  }

  /** A finished measurement (the transcript this auditor recorded), or CHALLENGE_NOT_FOUND. */
  async measurement(challenge: Hex): Promise<MeasurementRecord> {
    const measured = await this.opts.store.getMeasurement(challenge);
    if (measured) return measured;
    throw new AuditorError(AuditorErrorCode.CHALLENGE_NOT_FOUND, `no finished challenge ${challenge}`, {
      challenge,
    });
  }

  private transcript(
    open: OpenChallenge,
    stage: NonNullable<OpenChallenge["signatures"]>,
    validBitmap: Hex,
    answeredAtMs: bigint,
  ): ChallengeTranscript {
    const { issued } = open;
    const times = {
      issuedAtMs: issued.issuedAtMs,
      powAnsweredAtMs: stage.powAnsweredAtMs,
      signaturesIssuedAtMs: stage.issuedAtMs,
      signaturesAnsweredAtMs: answeredAtMs,
    };
    return {
      auditor: issued.auditor,
      challenge: issued.challenge,
      candidate: issued.candidate,
      powDifficultyBits: issued.powDifficultyBits,
      powSolutions: issued.powSolutions,
      signatureCount: issued.signatureCount,
      ...times,
      powAnswerHash: stage.powAnswerHash,
      signatureBatchHash: signatureBatchHash(stage.secret.batch),
      validBitmap,
      ...measuredRates(issued, times),
    };
  }

  private async mustBeOpen(challenge: Hex): Promise<OpenChallenge> {
    const open = this.open.get(challenge);
    if (open) return open;
    if (await this.opts.store.getMeasurement(challenge)) throw answeredTwice(challenge, "signatures");
    throw new AuditorError(
      AuditorErrorCode.CHALLENGE_NOT_FOUND,
      `no open challenge ${challenge} (never issued, expired, failed, or issued before a restart)`,
      { challenge },
    );
  }

  private checkDeadline(open: OpenChallenge, deadlineMs: bigint, receivedAtMs: bigint): void {
    if (receivedAtMs <= deadlineMs) return;
    throw this.spend(
      open.issued.challenge,
      AuditorErrorCode.CHALLENGE_EXPIRED,
      `answer to challenge ${open.issued.challenge} arrived at ${receivedAtMs} ms, after its deadline ${deadlineMs} ms`,
      "deadlineMs",
      { deadlineMs: deadlineMs.toString(), receivedAtMs: receivedAtMs.toString() },
    );
  }

  /** Ends a challenge that was answered late or wrongly, and returns the error that says why. */
  private spend(
    challenge: Hex,
    code: AuditorErrorCode,
    message: string,
    field: string,
    extra: Record<string, string> = {},
  ): AuditorError {
    this.open.delete(challenge);
    return new AuditorError(code, message, { challenge, field, ...extra });
  }

  private dropExpired(): void {
    const now = this.opts.nowMs();
    for (const [id, open] of this.open) {
      const deadline = open.signatures?.deadlineMs ?? open.issued.deadlineMs;
      if (now > deadline) this.open.delete(id);
    }
  }
}

function answeredTwice(challenge: Hex, stage: string): AuditorError {
  return new AuditorError(
    AuditorErrorCode.CHALLENGE_ANSWERED,
    `challenge ${challenge}: the ${stage} stage was already answered; a challenge is answered once`,
    { challenge, stage },
  );
}

function misjudged(given: Hex, expected: Hex, count: number): number {
  let wrong = 0;
  for (let i = 0; i < count; i++) if (bitAt(given, i) !== bitAt(expected, i)) wrong++;
  return wrong;
}

function bitAt(bitmap: Hex, index: number): number {
  const byte = parseInt(bitmap.slice(2 + 2 * (index >> 3), 4 + 2 * (index >> 3)), 16);
  return (byte >> (index & 7)) & 1;
}
