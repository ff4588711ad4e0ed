import type { BlockHeader } from "./types";

/**
 * Finds a nonce for a header. The consensus core only sees this: the node uses the worker-thread
 * miner, the simulator a synchronous one whose result it delivers at a simulated time.
 */
export interface Miner {
  /**
   * Mines `header` (its nonce is ignored). Resolves with the solved header, or null if the job was
   * abandoned — by cancel(), by a newer mine() call, or because `maxHashes` ran out.
   */
  mine(header: BlockHeader, maxHashes?: number): Promise<BlockHeader | null>;
  /** Abandons the current job, if any (the round moved on). */
  cancel(): void;
  close(): Promise<void>;
}
