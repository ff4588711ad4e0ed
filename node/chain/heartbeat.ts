import type { Hex } from "../types/primitives";
import { concatBytes, toHex, uintBytes } from "./bytes";

/**
 * A heartbeat: a transaction whose only purpose is to show, on the chain, that its signing key is
 * alive (liveness.ts: any transaction does; this is the one a candidate node sends by itself, and
 * `repchain tx heartbeat` by hand). Its payload says so, with the epoch it was meant for, so a
 * reader of the chain can tell it from application data: "repchain/heartbeat/v1" ‖ uint64 epoch.
 */
const TAG = new TextEncoder().encode("repchain/heartbeat/v1");

export function heartbeatPayload(epoch: number): Hex {
  return toHex(concatBytes([TAG, uintBytes(epoch, 8)]));
}
