import type { KeyPair } from "../chain/signing";
import type { Hex } from "../types/primitives";

/** Settings of one node's P2P endpoint. Units are last in the names. */
export interface P2PConfig {
  /** Interface to listen on: 127.0.0.1 in tests and the devnet. */
  readonly host: string;
  /** TCP port; 0 picks a free one (see P2PNetwork.start()). */
  readonly port: number;
  /** The key this node proves itself with in every handshake; its address is the node's id. */
  readonly nodeKey: KeyPair;
  /** Peers only talk if they are on the same chain: both are bound into the handshake. */
  readonly chainId: bigint;
  readonly genesisHash: Hex;
  /** ws:// URLs to dial and keep dialing while the node runs (persistent peers). */
  readonly bootnodes: readonly string[];
  /** Authenticated peers; connections still in their handshake do not count (see maxHandshakes). */
  readonly maxPeers: number;
  /** Inbound connections still in their handshake; one more evicts the oldest. */
  readonly maxHandshakes: number;
  /** Largest frame accepted (sealed, on the wire); a larger one closes the connection (ws code 1009). */
  readonly maxFrameBytes: number;
  /** Frames are dropped for a peer whose socket buffer holds more than this. */
  readonly maxBufferedBytes: number;
  /** A connection that has not authenticated within this long is closed. */
  readonly handshakeTimeoutMs: number;
  readonly requestTimeoutMs: number;
  /** Inbound requests a single peer may have in flight. */
  readonly maxInflightRequestsPerPeer: number;
  /** Gossip ids remembered (delivered and forwarded once), at most this many ... */
  readonly seenCacheSize: number;
  /** ... for at most this long: a message sent again later is read again (a resubmitted transaction). */
  readonly seenTtlMs: number;
  readonly redialDelayMinMs: number;
  readonly redialDelayMaxMs: number;
  /**
   * What one peer may send us (gossip and requests; answers to our requests are not counted):
   * messages and bytes per second, each with a burst of twice that. Over the limit, its messages
   * are dropped unread (not forwarded, not penalised: gossip is redundant, requests time out).
   */
  readonly rateLimitMessagesPerS: number;
  readonly rateLimitBytesPerS: number;
  /** A peer whose score falls to this is disconnected and refused for `banMs`. */
  readonly banScore: number;
  readonly banMs: number;
}

export const defaultP2PConfig = {
  host: "127.0.0.1",
  port: 0,
  bootnodes: [],
  maxPeers: 50,
  maxHandshakes: 32,
  maxFrameBytes: 4 * 1024 * 1024,
  maxBufferedBytes: 16 * 1024 * 1024,
  handshakeTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  maxInflightRequestsPerPeer: 16,
  seenCacheSize: 65_536,
  seenTtlMs: 120_000,
  redialDelayMinMs: 250,
  redialDelayMaxMs: 10_000,
  rateLimitMessagesPerS: 1000,
  rateLimitBytesPerS: 16 * 1024 * 1024,
  banScore: -100,
  banMs: 60_000,
} satisfies Partial<P2PConfig>;

/** Score changes. REJECTed gossip is evidence of a bad peer; malformed frames are worse. */
export const PENALTY = { rejectedGossip: -10, malformedFrame: -25, protocolViolation: -50, strayResponse: -5 } as const;
