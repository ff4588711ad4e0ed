import { CodedError } from "../codedError";
/**
 * Typed follower errors (Lodestar `eth1/errors.ts` style): one code per failure, a payload per
 * code, one class. `retryable` codes are the outside world misbehaving for a while (the follower
 * logs them, backs off and tries again, never skipping a range); the others mean continuing would
 * be guessing, so the follower halts.
 */
export enum L1ErrorCode {
  /** Connection refused, reset or closed before an answer. */
  RPC_UNREACHABLE = "L1_RPC_UNREACHABLE",
  RPC_TIMEOUT = "L1_RPC_TIMEOUT",
  /** The endpoint answered with a non-200 HTTP status (429, 413, 5xx…). */
  RPC_HTTP_STATUS = "L1_RPC_HTTP_STATUS",
  /** A JSON-RPC error object (range too large, too many results, internal error…). */
  RPC_ERROR_RESPONSE = "L1_RPC_ERROR_RESPONSE",
  /** Not JSON, not JSON-RPC, or a result of the wrong shape (including a log that does not decode). */
  RPC_BAD_RESPONSE = "L1_RPC_BAD_RESPONSE",
  /** The chain changed while a range was being read; read it again. */
  RANGE_CHANGED = "L1_RANGE_CHANGED",
  /** Halt: the provider serves another chain than the deployment's. */
  WRONG_CHAIN = "L1_WRONG_CHAIN",
  /** Halt: the deployment block is not on this chain (wrong deployment file or it was reorged out). */
  DEPLOYMENT_NOT_FOUND = "L1_DEPLOYMENT_NOT_FOUND",
  /** Halt: a reorg changed a block consumers already read as confirmed. */
  DEEP_REORG = "L1_DEEP_REORG",
  /** Halt: the compiled ABI no longer carries an event field the governance model needs. */
  ABI_MISMATCH = "L1_ABI_MISMATCH",
  /** Halt: the CandidateRegistry on L1 is bound to another L2 chain id than this chain's (or is not there). */
  WRONG_L2_CHAIN = "L1_WRONG_L2_CHAIN",
}

export type L1ErrorType =
  | { code: L1ErrorCode.RPC_UNREACHABLE; method: string; reason: string }
  | { code: L1ErrorCode.RPC_TIMEOUT; method: string; timeoutMs: number }
  | { code: L1ErrorCode.RPC_HTTP_STATUS; method: string; status: number }
  | { code: L1ErrorCode.RPC_ERROR_RESPONSE; method: string; rpcCode: number; rpcMessage: string }
  | { code: L1ErrorCode.RPC_BAD_RESPONSE; method: string; reason: string }
  | { code: L1ErrorCode.RANGE_CHANGED; fromBlock: number; toBlock: number; reason: string }
  | { code: L1ErrorCode.WRONG_CHAIN; expected: number; actual: number }
  | { code: L1ErrorCode.DEPLOYMENT_NOT_FOUND; blockNumber: number; expectedHash: string; actualHash: string | null }
  | { code: L1ErrorCode.DEEP_REORG; blockNumber: number; storedHash: string; canonicalHash: string | null }
  | { code: L1ErrorCode.ABI_MISMATCH; event: string; reason: string }
  /** `actual` null: no contract at `candidateRegistry` answers l2ChainId(). */
  | { code: L1ErrorCode.WRONG_L2_CHAIN; candidateRegistry: string; expected: number; actual: number | null };

const RETRYABLE = new Set<L1ErrorCode>([
  L1ErrorCode.RPC_UNREACHABLE,
  L1ErrorCode.RPC_TIMEOUT,
  L1ErrorCode.RPC_HTTP_STATUS,
  L1ErrorCode.RPC_ERROR_RESPONSE,
  L1ErrorCode.RPC_BAD_RESPONSE,
  L1ErrorCode.RANGE_CHANGED,
]);

/**
 * What an operator must do about DEEP_REORG (logged by `repchain follow`, reported by a node in
 * `repchain_status.l1Halt`; docs/follower.md, "A reorg deeper than the confirmation depth").
 */
export const DEEP_REORG_ACTION =
  "L1 replaced a block this node had already confirmed (the genesis's l1Confirmations deep), so events the chain " +
  "may have imported from it are gone. Nothing was written: the data directory still holds the old history. " +
  "(1) Compare the hashes with another L1 endpoint (a block explorer, a second node): if only this node's L1 endpoint " +
  "sees the new blocks, point rpcUrl at a healthy L1 node and restart — the node resumes where it stopped. " +
  "(2) If L1 itself reorganised deeper than l1Confirmations, the chain anchored to a history that no longer exists: " +
  "stop every node and agree out of band on a new genesis with a larger --l1-confirmations; do not delete one " +
  "node's data directory, it would import a history the other nodes did not.";

export class L1Error extends CodedError<L1ErrorType> {
  get retryable(): boolean {
    return RETRYABLE.has(this.type.code);
  }
}
