import { ClassicLevel } from "classic-level";
import type { Hex } from "../../types/primitives";
import type { ApplicationRecord, ApplicationStatus, Decision, IssuedCredential } from "../applicationRecord";
import { applicationFromJson, applicationToJson, type ApplicationJson } from "../apiJson";

/**
 * The auditor's own LevelDB: one record per application, holding the application, its decision
 * and the credential signed for it, plus an index of the pending ones. A record changes in one
 * atomic batch written with `sync`, so after a crash an application is either undecided or decided
 * with its credential stored — never "signed but forgotten", which could make the auditor sign twice.
 */
const APP_PREFIX = "app:";
const PENDING_PREFIX = "pending:";

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

  /** Writes a record and keeps the pending index in step, atomically and durably. */
  async put(record: ApplicationRecord): Promise<void> {
    const batch = this.db.batch().put(APP_PREFIX + record.id, encodeRecord(record));
    if (record.status === "pending") batch.put(PENDING_PREFIX + record.id, "");
    else batch.del(PENDING_PREFIX + record.id);
    await batch.write({ sync: true });
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
  receivedAt: string;
  status: ApplicationStatus;
  advice?: string;
  decision?: Omit<Decision, "decidedAt"> & { decidedAt: string };
  credential?: Omit<IssuedCredential, "issuedAt" | "expiresAt" | "nonce"> & {
    issuedAt: string;
    expiresAt: string;
    nonce: string;
  };
}

export function encodeRecord(r: ApplicationRecord): string {
  const json: RecordJson = {
    id: r.id,
    application: applicationToJson(r.application),
    signature: r.signature,
    receivedAt: r.receivedAt.toString(),
    status: r.status,
    advice: r.advice,
    decision: r.decision && { ...r.decision, decidedAt: r.decision.decidedAt.toString() },
    credential: r.credential && {
      ...r.credential,
      issuedAt: r.credential.issuedAt.toString(),
      expiresAt: r.credential.expiresAt.toString(),
      nonce: r.credential.nonce.toString(),
    },
  };
  return JSON.stringify(json);
}

export function decodeRecord(raw: string): ApplicationRecord {
  const json = JSON.parse(raw) as RecordJson;
  const record: ApplicationRecord = {
    id: json.id,
    application: applicationFromJson(json.application),
    signature: json.signature,
    receivedAt: BigInt(json.receivedAt),
    status: json.status,
  };
  // Optional fields are left out when absent (not set to undefined), so a record reads back as written.
  return {
    ...record,
    ...(json.advice !== undefined && { advice: json.advice }),
    ...(json.decision && { decision: { ...json.decision, decidedAt: BigInt(json.decision.decidedAt) } }),
    ...(json.credential && {
      credential: {
        ...json.credential,
        issuedAt: BigInt(json.credential.issuedAt),
        expiresAt: BigInt(json.credential.expiresAt),
        nonce: BigInt(json.credential.nonce),
      },
    }),
  };
}
