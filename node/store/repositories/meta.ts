import { Bucket, type BatchOp, type Database } from "../database";
import { type Codec, Repository } from "../repository";

/** What a data directory belongs to: a node never mixes two chains or two deployments in one store. */
export interface StoreIdentity {
  readonly chainId: number;
  readonly auditorRegistry: string;
  readonly candidateRegistry: string;
  readonly voteRegistry: string;
  readonly deploymentBlock: number;
  readonly deploymentBlockHash: string;
  readonly votingToken: string;
  readonly votingTokenDeploymentBlock: number;
}

const IDENTITY_KEY = "identity";
const keyCodec: Codec<string> = {
  encode: (k) => Buffer.from(k, "utf8"),
  decode: (b) => Buffer.from(b).toString("utf8"),
};
/** JSON: small, read once at start-up, and readable with any LevelDB tool. */
const jsonCodec: Codec<StoreIdentity> = {
  encode: (v) => Buffer.from(JSON.stringify(v), "utf8"),
  decode: (b) => JSON.parse(Buffer.from(b).toString("utf8")) as StoreIdentity,
};

export class MetaRepository {
  private readonly repo: Repository<string, StoreIdentity>;

  constructor(db: Database) {
    this.repo = new Repository(db, Bucket.meta, keyCodec, jsonCodec);
  }

  getIdentity(): Promise<StoreIdentity | undefined> {
    return this.repo.get(IDENTITY_KEY);
  }

  putIdentityOp(identity: StoreIdentity): BatchOp {
    return this.repo.putOp(IDENTITY_KEY, identity);
  }
}
