import type { Genesis } from "../chain/genesis";
import { MAX_SYNC_RESPONSE_BYTES } from "./syncProtocol";
import { maxFrameBytesFor } from "../p2p/frames";
import { maxConsensusMessageBytes } from "../consensus/messageCodec";

/**
 * The P2P frame limit of a chain, derived from its block budget: the largest frame carries a
 * proposal or commit of a maximum-size block, or the largest sync answer, whichever is larger.
 */
export function maxFrameBytesForChain(genesis: Pick<Genesis, "maxBlockBytes">): number {
  return maxFrameBytesFor(Math.max(MAX_SYNC_RESPONSE_BYTES, maxConsensusMessageBytes(genesis.maxBlockBytes)));
}
