import { CodedError } from "../codedError";

/** Typed store errors: the data directory cannot be used as it is. */
export enum StoreErrorCode {
  /** The data directory was created for another chain or deployment. */
  FOREIGN_DATA_DIR = "STORE_FOREIGN_DATA_DIR",
  /** Another process holds the database open. */
  LOCKED = "STORE_LOCKED",
  /** An invariant between cursor, headers and events does not hold. */
  INCONSISTENT = "STORE_INCONSISTENT",
}

export type StoreErrorType =
  | { code: StoreErrorCode.FOREIGN_DATA_DIR; field: string; stored: string; expected: string }
  | { code: StoreErrorCode.LOCKED; path: string }
  | { code: StoreErrorCode.INCONSISTENT; reason: string };

export class StoreError extends CodedError<StoreErrorType> {}
