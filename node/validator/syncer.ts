import type { Logger } from "../log";
import type { P2PNetwork } from "../p2p/p2pNetwork";
import { ValidationResult } from "../p2p/validationResult";
import type { ChainStore } from "../store/chainStore";
import { decodeFinalizedBlocks, encodeFinalizedBlocksWithin } from "../consensus/messageCodec";
import type { ConsensusDriver } from "./consensusDriver";
import {
  MAX_BLOCKS_PER_REQUEST,
  MAX_SYNC_RESPONSE_BYTES,
  SYNC_BLOCKS,
  SYNC_STATUS,
  blocksRequestSchema,
  decodeJson,
  encodeJson,
  statusSchema,
} from "./syncProtocol";

/**
 * Catches a node up with its peers. Every `intervalMs` it asks each peer its finalized height; if
 * one is ahead it pulls the missing blocks from it, in order, and feeds each to the consensus core
 * as a commit: the core verifies it (PoW, proposer, certificate against that epoch's set, events
 * against this node's own L1 view, transactions) before applying it, and the driver stores it.
 * A block the core refuses stops the round; the next round retries (an anchor our L1 follower has
 * not confirmed yet is the usual, temporary, reason).
 */
export class Syncer {
  private timer?: NodeJS.Timeout;
  private running = false;
  private stopped = false;
  /** The highest height a peer reported, for status and for telling "synced" from "behind". */
  bestPeerHeight = 0;

  constructor(
    private readonly p2p: P2PNetwork,
    private readonly store: ChainStore,
    private readonly driver: ConsensusDriver,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  /** Serves peers' sync requests from the store. */
  serve(): void {
    this.p2p.handle(SYNC_STATUS, async () => encodeJson({ height: (await this.store.storedHead())?.height ?? 0 }));
    this.p2p.handle(SYNC_BLOCKS, async (data) => {
      const { from, count } = decodeJson(blocksRequestSchema, data);
      const head = (await this.store.storedHead())?.height ?? 0;
      const blocks = await this.store.blocks.range(from, Math.min(head, from + count - 1));
      return encodeFinalizedBlocksWithin(blocks, MAX_SYNC_RESPONSE_BYTES);
    });
  }

  start(): void {
    this.timer = setInterval(() => void this.round(), this.intervalMs);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /** One sync round; rounds never overlap. */
  async round(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      const best = await this.bestPeer();
      if (best !== null && best.height > this.driver.core.state.height) await this.pullFrom(best.nodeId, best.height);
    } catch (err) {
      this.log.debug({ err: (err as Error).message }, "sync round failed");
    } finally {
      this.running = false;
    }
  }

  private async bestPeer(): Promise<{ nodeId: string; height: number } | null> {
    const peers = this.p2p.connectedPeers();
    const answers = await Promise.allSettled(
      peers.map(async (peer) => ({
        nodeId: peer.nodeId,
        height: decodeJson(statusSchema, await this.p2p.request(peer.nodeId, SYNC_STATUS, encodeJson({}))).height,
      })),
    );
    let best: { nodeId: string; height: number } | null = null;
    for (const a of answers)
      if (a.status === "fulfilled" && (best === null || a.value.height > best.height)) best = a.value;
    if (best !== null) this.bestPeerHeight = Math.max(this.bestPeerHeight, best.height);
    return best;
  }

  private async pullFrom(nodeId: string, peerHeight: number): Promise<void> {
    while (!this.stopped && this.driver.core.state.height < peerHeight) {
      const from = this.driver.core.state.height + 1;
      const count = Math.min(MAX_BLOCKS_PER_REQUEST, peerHeight - from + 1);
      const data = await this.p2p.request(nodeId, SYNC_BLOCKS, encodeJson({ from, count }));
      const blocks = decodeFinalizedBlocks(data, MAX_BLOCKS_PER_REQUEST, MAX_SYNC_RESPONSE_BYTES);
      if (blocks.length === 0) return;
      for (const finalized of blocks) {
        if (finalized.block.header.height !== this.driver.core.state.height + 1) continue;
        const verdict = await this.driver.onMessage({ type: "commit", finalized }, nodeId, "sync");
        if (verdict !== ValidationResult.Accept || finalized.block.header.height !== this.driver.core.state.height) {
          this.log.info({ peer: nodeId, height: finalized.block.header.height, verdict }, "sync stopped at a block");
          return;
        }
      }
      this.log.info({ peer: nodeId, height: this.driver.core.state.height, peerHeight }, "synced blocks");
    }
  }
}
