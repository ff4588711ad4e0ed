import { CodedError } from "../codedError";

/** Why elect() refused its inputs (Lodestar style: a code plus a typed payload, one error class). */
export enum ElectionErrorCode {
  INVALID_K = "ELECTION_INVALID_K",
  INVALID_SNAPSHOT_TIME = "ELECTION_INVALID_SNAPSHOT_TIME",
}

export type ElectionErrorType =
  | { code: ElectionErrorCode.INVALID_K; k: string }
  | { code: ElectionErrorCode.INVALID_SNAPSHOT_TIME; snapshotTime: string };

export class ElectionError extends CodedError<ElectionErrorType> {}
