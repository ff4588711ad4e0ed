/** Why elect() refused its inputs (Lodestar style: a code plus a typed payload, one error class). */
export enum ElectionErrorCode {
  INVALID_K = "ELECTION_INVALID_K",
  INVALID_SNAPSHOT_TIME = "ELECTION_INVALID_SNAPSHOT_TIME",
}

export type ElectionErrorType =
  | { code: ElectionErrorCode.INVALID_K; k: string }
  | { code: ElectionErrorCode.INVALID_SNAPSHOT_TIME; snapshotTime: string };

export class ElectionError extends Error {
  readonly type: ElectionErrorType;

  constructor(type: ElectionErrorType) {
    const { code, ...payload } = type;
    super(`${code} ${JSON.stringify(payload)}`);
    this.name = "ElectionError";
    this.type = type;
  }

  get code(): ElectionErrorCode {
    return this.type.code;
  }
}
