import type { ConsensusDriver } from "../consensus/consensusDriver";
import type { Logger } from "../log";
import type { P2PNetwork } from "../p2p/p2pNetwork";
import type { PeerInfo } from "../p2p/peer";
import type { ChainStore } from "../store/chainStore";
import { SyncDriver } from "../sync/syncDriver";
import type { BlocksResponse, SyncEffect, SyncSettings } from "../sync/syncMachine";
import { batchWithinBytes, decodeFinalizedBlocks } from "../consensus/messageCodec";
import {
  MAX_BLOCKS_PER_REQUEST,
  MAX_SYNC_RESPONSE_BYTES,
  SYNC_BLOCKS,
  SYNC_PENALTY,
  SYNC_STATUS,
  blocksRequestSchema,
  claimedHeight,
  decodeJson,
  encodeJson,
} from "./syncProtocol";

/**
 * The node's I/O shell around the catch-up state machine (node/sync): P2P request/response for
 * statuses and block ranges, a timer for the machine's clock, peer connects and disconnects, and
 * penalties into the P2P score (serveSyncRequests answers the other side). Blocks are verified
 * and applied by the consensus driver exactly as the simulator's are.
 */
export class Syncer {
  readonly driver: SyncDriver;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private readonly onConnect = (info: PeerInfo) => this.driver.addPeer(info.nodeId);
  private readonly onDisconnect = (info: PeerInfo) => this.driver.removePeer(info.nodeId);

  constructor(
    private readonly p2p: P2PNetwork,
    consensus: ConsensusDriver,
    private readonly settings: SyncSettings,
    private readonly log: Logger,
  ) {
    this.driver = new SyncDriver(settings, consensus.core.state.height, {
      now: () => Date.now(),
      requestStatus: (peer) => void this.requestStatus(peer),
      requestBlocks: (peer, request) => void this.requestBlocks(peer, request),
      importBlock: (peer, finalized, done) => consensus.importFinalized(finalized, peer, done),
      penalise: (peer, fault, reason) => {
        this.log.warn({ peer, fault, reason }, "sync peer penalised");
        this.p2p.penalisePeer(peer, SYNC_PENALTY[fault], `sync ${fault}: ${reason}`);
      },
    });
  }

  start(): void {
    this.p2p.on("peer:connect", this.onConnect);
    this.p2p.on("peer:disconnect", this.onDisconnect);
    for (const peer of this.p2p.connectedPeers()) this.driver.addPeer(peer.nodeId);
    this.timer = setInterval(() => this.driver.tick(), Math.min(250, this.settings.statusIntervalMs));
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.p2p.off("peer:connect", this.onConnect);
    this.p2p.off("peer:disconnect", this.onDisconnect);
  }

  /** The chain moved on without sync (consensus decided, a gossiped commit). */
  onHead(height: number): void {
    if (!this.stopped) this.driver.onHead(height);
  }

  /** A status request that fails costs nothing: only a claim that is not served does. */
  private async requestStatus(peer: string): Promise<void> {
    let data: Uint8Array;
    try {
      data = await this.p2p.request(peer, SYNC_STATUS, encodeJson({}));
    } catch (err) {
      this.log.debug({ peer, err: (err as Error).message }, "sync status request failed");
      return;
    }
    if (!this.stopped) this.driver.onStatus(peer, claimedHeight(data));
  }

  private async requestBlocks(peer: string, request: Extract<SyncEffect, { type: "requestBlocks" }>): Promise<void> {
    const { from, to, maxBytes } = request;
    let response: BlocksResponse;
    try {
      const data = await this.p2p.request(peer, SYNC_BLOCKS, encodeJson({ from, to, maxBytes }));
      response = decodeResponse(data);
    } catch (err) {
      response = { error: (err as Error).message };
    }
    if (this.stopped) return;
    if ("blocks" in response && response.blocks.length > 0)
      this.log.debug({ peer, from, blocks: response.blocks.length, bytes: response.bytes }, "sync blocks received");
    this.driver.onBlocks(peer, request.id, response);
  }
}

/** Serves peers' sync requests from the store: its head, and byte-bounded batches of blocks. */
export function serveSyncRequests(p2p: P2PNetwork, store: ChainStore): void {
  const storedHeight = async () => (await store.storedHead())?.height ?? 0;
  p2p.handle(SYNC_STATUS, async () => encodeJson({ height: await storedHeight() }));
  p2p.handle(SYNC_BLOCKS, async (data) => {
    const request = decodeJson(blocksRequestSchema, data);
    const to = Math.min(request.to, await storedHeight());
    const blocks = to < request.from ? [] : await store.blocks.range(request.from, to);
    return batchWithinBytes(blocks, request.maxBytes).data;
  });
}

function decodeResponse(data: Uint8Array): BlocksResponse {
  try {
    return { blocks: decodeFinalizedBlocks(data, MAX_BLOCKS_PER_REQUEST, MAX_SYNC_RESPONSE_BYTES), bytes: data.length };
  } catch (err) {
    return { malformed: (err as Error).message, bytes: data.length };
  }
}
