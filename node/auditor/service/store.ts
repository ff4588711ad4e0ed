import { ClassicLevel } from "classic-level";
import type { Hex } from "../../types/primitives";
import type { ChallengeTranscript } from "../../qualification/transcript";
import type { ApplicationRecord, ApplicationStatus, Decision } from "../applicationRecord";
import {
  applicationFromJson,
  applicationToJson,
  credentialFromJson,
  credentialToJson,
  measuredToJson,
  type CredentialJson,
  measurementResponseSchema,
  transcriptToJson,
  type ApplicationJson,
  type MeasuredFiguresJson,
} from "../apiJson";

/**
 * The auditor's own LevelDB: one record per application, holding the application, its decision
 * and the credential signed for it, plus an index of the pending ones. A record changes in one
 * atomic batch written with `sync`, so after a crash an application is either undecided or decided
 * with its credential stored — never "signed but forgotten", which could make the auditor sign twice.
 */
/** A challenge this auditor finished: the transcript of its own measurement, and the application it backs. */
export interface MeasurementRecord {
  readonly transcript: ChallengeTranscript;
  readonly transcriptHash: Hex;
  /** The application that cited it first; a measurement backs one application only. */
  readonly usedBy?: Hex;
}

const APP_PREFIX = "app:";
const PENDING_PREFIX = "pending:";
const MEASUREMENT_PREFIX = "measurement:";

export class AuditorStore {
  private constructor(private readonly db: ClassicLevel<string, string>) {}

  static async open(location: string): Promise<AuditorStore> {
    const db = new ClassicLevel<string, string>(location, { valueEncoding: "utf8" });
    await db.open();
    return new AuditorStore(db);
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  async get(id: Hex): Promise<ApplicationRecord | undefined> {
    const raw = await this.db.get(APP_PREFIX + id);
    return raw === undefined ? undefined : decodeRecord(raw);
  }

  /**
   * Writes a record and keeps the pending index in step, atomically and durably. A new application
   * passes the measurement it cites, marked used, in the same batch: two applications racing for one
   * measurement cannot both be stored.
   */
  async put(record: ApplicationRecord, usedMeasurement?: MeasurementRecord): Promise<void> {
    const batch = this.db.batch().put(APP_PREFIX + record.id, encodeRecord(record));
    if (record.status === "pending") batch.put(PENDING_PREFIX + record.id, "");
    else batch.del(PENDING_PREFIX + record.id);
    if (usedMeasurement) {
      const used = { ...usedMeasurement, usedBy: record.id };
      batch.put(MEASUREMENT_PREFIX + used.transcript.challenge, encodeMeasurement(used));
    }
    await batch.write({ sync: true });
  }

  async getMeasurement(challenge: Hex): Promise<MeasurementRecord | undefined> {
    const raw = await this.db.get(MEASUREMENT_PREFIX + challenge);
    return raw === undefined ? undefined : decodeMeasurement(raw);
  }

  async putMeasurement(measurement: MeasurementRecord): Promise<void> {
    await this.db.put(MEASUREMENT_PREFIX + measurement.transcript.challenge, encodeMeasurement(measurement), {
      sync: true,
    });
  }

  /** How many applications are pending, counting no further than `upTo`. */
  async countPending(upTo: number): Promise<number> {
    let count = 0;
    for await (const _key of this.db.keys({ gt: PENDING_PREFIX, lt: PENDING_PREFIX + "~", limit: upTo })) count++;
    return count;
  }

  async listPending(limit: number): Promise<ApplicationRecord[]> {
    const records: ApplicationRecord[] = [];
    for await (const key of this.db.keys({ gt: PENDING_PREFIX, lt: PENDING_PREFIX + "~", limit })) {
      const record = await this.get(key.slice(PENDING_PREFIX.length) as Hex);
      if (record) records.push(record);
    }
    return records;
  }
}

// Serialization, defined once. bigint fields become decimal strings.
interface RecordJson {
  id: Hex;
  application: ApplicationJson;
  signature: Hex;
  consentSignature: Hex;
  receivedAt: string;
  status: ApplicationStatus;
  measured: MeasuredFiguresJson;
  advice?: string;
  decision?: Omit<Decision, "decidedAt"> & { decidedAt: string };
  credential?: CredentialJson;
}

export function encodeRecord(r: ApplicationRecord): string {
  const json: RecordJson = {
    id: r.id,
    application: applicationToJson(r.application),
    signature: r.signature,
    consentSignature: r.consentSignature,
    receivedAt: r.receivedAt.toString(),
    status: r.status,
    measured: measuredToJson(r.measured),
    advice: r.advice,
    decision: r.decision && { ...r.decision, decidedAt: r.decision.decidedAt.toString() },
    credential: r.credential && credentialToJson(r.credential),
  };
  return JSON.stringify(json);
}

export function decodeRecord(raw: string): ApplicationRecord {
  const json = JSON.parse(raw) as RecordJson;
  const record: ApplicationRecord = {
    id: json.id,
    application: applicationFromJson(json.application),
    signature: json.signature,
    consentSignature: json.consentSignature,
    receivedAt: BigInt(json.receivedAt),
    status: json.status,
    measured: {
      challenge: json.measured.challenge as Hex,
      transcriptHash: json.measured.transcriptHash as Hex,
      powHashesPerSecond: BigInt(json.measured.powHashesPerSecond),
      sigVerificationsPerSecond: BigInt(json.measured.sigVerificationsPerSecond),
      measuredAt: BigInt(json.measured.measuredAt),
    },
  };
  // Optional fields are left out when absent (not set to undefined), so a record reads back as written.
  return {
    ...record,
    ...(json.advice !== undefined && { advice: json.advice }),
    ...(json.decision && { decision: { ...json.decision, decidedAt: BigInt(json.decision.decidedAt) } }),
    ...(json.credential && { credential: credentialFromJson(json.credential) }),
  };
}

function encodeMeasurement(m: MeasurementRecord): string {
  return JSON.stringify({
    transcript: transcriptToJson(m.transcript),
    transcriptHash: m.transcriptHash,
    usedBy: m.usedBy,
  });
}

function decodeMeasurement(raw: string): MeasurementRecord {
  const json = JSON.parse(raw) as { usedBy?: Hex };
  const { transcript, transcriptHash } = measurementResponseSchema.parse(json);
  return { transcript, transcriptHash, ...(json.usedBy !== undefined && { usedBy: json.usedBy }) };
}
