import type { Hex } from "../../types/primitives";
import { readHex, writeHex } from "../bytes";
import { Bucket, writeBatch, type Database } from "../database";
import { type Codec, Repository } from "../repository";

/** evidence hash (32 bytes). */
const keyCodec: Codec<Hex> = {
  encode(hash) {
    const out = new Uint8Array(32);
    writeHex(out, 0, hash, 32);
    return out;
  },
  decode: (bytes) => readHex(bytes, 0, 32),
};
/** What became of it on L1, as text ("submitted in 0x…", "already slashed", a revert): for the operator. */
const outcomeCodec: Codec<string> = {
  encode: (v) => new Uint8Array(Buffer.from(v, "utf8")),
  decode: (b) => Buffer.from(b).toString("utf8"),
};

/**
 * Committed evidence this node has finished with on L1, so a restart (which replays every committed
 * piece) does not submit it again: at most one submission per piece per node.
 */
export class EvidenceSubmissionRepository {
  private readonly repo: Repository<Hex, string>;

  constructor(private readonly db: Database) {
    this.repo = new Repository(db, Bucket.evidenceSubmission, keyCodec, outcomeCodec);
  }

  outcome(hash: Hex): Promise<string | undefined> {
    return this.repo.get(hash);
  }

  /** Records the outcome durably (synced) before the node moves on. */
  record(hash: Hex, outcome: string): Promise<void> {
    return writeBatch(this.db, [this.repo.putOp(hash, outcome)], true);
  }
}
