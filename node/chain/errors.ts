import { CodedError } from "../codedError";
import type { Address, Hex } from "../types/primitives";

/**
 * Why a block, certificate or chain message is invalid. One enum of codes, a payload per code and
 * one error class, as Lodestar does (`beacon-node/src/eth1/errors.ts`): callers switch on `type.code`
 * and logs carry the offending values.
 */
export enum ChainErrorCode {
  WRONG_CHAIN_ID = "CHAIN_ERROR_WRONG_CHAIN_ID",
  WRONG_PARENT = "CHAIN_ERROR_WRONG_PARENT",
  WRONG_HEIGHT = "CHAIN_ERROR_WRONG_HEIGHT",
  WRONG_EPOCH = "CHAIN_ERROR_WRONG_EPOCH",
  WRONG_PROPOSER = "CHAIN_ERROR_WRONG_PROPOSER",
  BAD_SIGNATURE = "CHAIN_ERROR_BAD_SIGNATURE",
  WRONG_POW_TARGET = "CHAIN_ERROR_WRONG_POW_TARGET",
  INSUFFICIENT_POW = "CHAIN_ERROR_INSUFFICIENT_POW",
  WRONG_EVENTS_ROOT = "CHAIN_ERROR_WRONG_EVENTS_ROOT",
  WRONG_TX_ROOT = "CHAIN_ERROR_WRONG_TX_ROOT",
  WRONG_EVIDENCE_ROOT = "CHAIN_ERROR_WRONG_EVIDENCE_ROOT",
  TIMESTAMP_NOT_AFTER_PARENT = "CHAIN_ERROR_TIMESTAMP_NOT_AFTER_PARENT",
  TIMESTAMP_IN_FUTURE = "CHAIN_ERROR_TIMESTAMP_IN_FUTURE",
  ANCHOR_MOVED_BACKWARDS = "CHAIN_ERROR_ANCHOR_MOVED_BACKWARDS",
  ANCHOR_NOT_CONFIRMED = "CHAIN_ERROR_ANCHOR_NOT_CONFIRMED",
  ANCHOR_HASH_MISMATCH = "CHAIN_ERROR_ANCHOR_HASH_MISMATCH",
  EVENTS_MISMATCH = "CHAIN_ERROR_EVENTS_MISMATCH",
  UNEXPECTED_ELECTION_RESULT = "CHAIN_ERROR_UNEXPECTED_ELECTION_RESULT",
  WRONG_ELECTION_RESULT = "CHAIN_ERROR_WRONG_ELECTION_RESULT",
  BAD_TRANSACTION = "CHAIN_ERROR_BAD_TRANSACTION",
  BLOCK_TOO_LARGE = "CHAIN_ERROR_BLOCK_TOO_LARGE",
  CERTIFICATE_WRONG_BLOCK = "CHAIN_ERROR_CERTIFICATE_WRONG_BLOCK",
  CERTIFICATE_NO_QUORUM = "CHAIN_ERROR_CERTIFICATE_NO_QUORUM",
  BAD_GENESIS = "CHAIN_ERROR_BAD_GENESIS",
  MALFORMED = "CHAIN_ERROR_MALFORMED",
  BAD_LAST_COMMIT = "CHAIN_ERROR_BAD_LAST_COMMIT",
  BAD_EVIDENCE = "CHAIN_ERROR_BAD_EVIDENCE",
}

export type ChainErrorType =
  | { code: ChainErrorCode.WRONG_CHAIN_ID; expected: bigint; actual: bigint }
  | { code: ChainErrorCode.WRONG_PARENT; expected: Hex; actual: Hex }
  | { code: ChainErrorCode.WRONG_HEIGHT; expected: number; actual: number }
  | { code: ChainErrorCode.WRONG_EPOCH; expected: number; actual: number }
  | { code: ChainErrorCode.WRONG_PROPOSER; expected: Address; actual: Address }
  | { code: ChainErrorCode.BAD_SIGNATURE; what: string; expected?: Address; actual?: Address }
  | { code: ChainErrorCode.WRONG_POW_TARGET; expected: bigint; actual: bigint }
  | { code: ChainErrorCode.INSUFFICIENT_POW; hash: Hex; target: bigint }
  | { code: ChainErrorCode.WRONG_EVENTS_ROOT; expected: Hex; actual: Hex }
  | { code: ChainErrorCode.WRONG_TX_ROOT; expected: Hex; actual: Hex }
  | { code: ChainErrorCode.WRONG_EVIDENCE_ROOT; expected: Hex; actual: Hex }
  | { code: ChainErrorCode.TIMESTAMP_NOT_AFTER_PARENT; parent: number; actual: number }
  | { code: ChainErrorCode.TIMESTAMP_IN_FUTURE; now: number; actual: number }
  | { code: ChainErrorCode.ANCHOR_MOVED_BACKWARDS; parent: number; actual: number }
  | { code: ChainErrorCode.ANCHOR_NOT_CONFIRMED; confirmedHead: number; anchor: number }
  | { code: ChainErrorCode.ANCHOR_HASH_MISMATCH; anchor: number; expected: Hex; actual: Hex }
  | { code: ChainErrorCode.EVENTS_MISMATCH; index: number; reason: string }
  | { code: ChainErrorCode.UNEXPECTED_ELECTION_RESULT; height: number }
  | { code: ChainErrorCode.WRONG_ELECTION_RESULT; expected: Hex; actual: Hex }
  | { code: ChainErrorCode.BAD_TRANSACTION; index: number; reason: string }
  | { code: ChainErrorCode.BLOCK_TOO_LARGE; bytes: number; maxBlockBytes: number }
  | { code: ChainErrorCode.CERTIFICATE_WRONG_BLOCK; expected: Hex; actual: Hex }
  | { code: ChainErrorCode.CERTIFICATE_NO_QUORUM; counted: number; needed: number; members: number }
  | { code: ChainErrorCode.BAD_GENESIS; reason: string }
  | { code: ChainErrorCode.MALFORMED; reason: string }
  | { code: ChainErrorCode.BAD_LAST_COMMIT; height: number; reason: string }
  | { code: ChainErrorCode.BAD_EVIDENCE; reason: string };

export class ChainError extends CodedError<ChainErrorType> {}
