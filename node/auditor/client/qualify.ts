import { solvePow, verifySignatureBatch } from "../../qualification/challenge";
import { transcriptHash, type ChallengeTranscript } from "../../qualification/transcript";
import type { Address } from "../../types/primitives";
import type { MeasurementReference } from "../application";
import type { AuditorClient } from "./client";

/**
 * The applicant's side of the qualification challenge (`repchain apply`): let each auditor measure
 * this device. One auditor after the other, never in parallel: the auditor times the answers, and
 * work for two auditors at once would halve what each of them sees.
 */
export interface MeasuredAt {
  readonly reference: MeasurementReference;
  readonly transcript: ChallengeTranscript;
}

/** Answers one auditor's challenge in full and returns what the application cites. */
export async function answerChallenge(client: AuditorClient, candidate: Address): Promise<MeasuredAt> {
  const issued = await client.challenge(candidate);
  if (issued.candidate !== candidate) {
    throw new Error(`${client.baseUrl} issued a challenge for ${issued.candidate}, not for ${candidate}`);
  }
  const nonces = solvePow(issued.challenge, candidate, issued);
  const batch = await client.answerPow(issued.challenge, nonces);
  const validBitmap = verifySignatureBatch(issued.challenge, batch);
  const { transcript, transcriptHash: claimed } = await client.answerSignatures(issued.challenge, validBitmap);
  // The hash is what the credential commits to: it must be the hash of the transcript shown, for this challenge.
  if (transcriptHash(transcript) !== claimed || transcript.challenge !== issued.challenge) {
    throw new Error(`${client.baseUrl} returned a transcript that does not match its hash or its challenge`);
  }
  return {
    reference: { auditor: transcript.auditor, challenge: transcript.challenge, transcriptHash: claimed },
    transcript,
  };
}

export interface Measurements {
  /** One per auditor, ascending by auditor address (the order the application requires). */
  readonly references: MeasurementReference[];
  /** How each auditor's challenge went, by URL, for people. */
  readonly outcomes: Record<string, string>;
}

/** Runs every auditor's challenge in turn; an auditor that is down or refuses is reported and skipped. */
export async function measureAtAuditors(clients: readonly AuditorClient[], candidate: Address): Promise<Measurements> {
  const byAuditor = new Map<Address, MeasurementReference>();
  const outcomes: Record<string, string> = {};
  for (const client of clients) {
    try {
      const { reference, transcript } = await answerChallenge(client, candidate);
      // The same auditor behind two URLs is measured once: the application holds one entry per auditor.
      if (!byAuditor.has(reference.auditor)) byAuditor.set(reference.auditor, reference);
      outcomes[client.baseUrl] =
        `measured ${transcript.powHashesPerSecond} H/s, ${transcript.sigVerificationsPerSecond} signature checks/s`;
    } catch (err) {
      outcomes[client.baseUrl] = `not measured: ${(err as Error).message}`;
    }
  }
  const references = [...byAuditor.values()].sort((a, b) => (a.auditor < b.auditor ? -1 : 1));
  return { references, outcomes };
}
