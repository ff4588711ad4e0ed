import type { Address, Hex } from "../types/primitives";
import type { RegistryEvent } from "../registry/events";
import type { Representative } from "../election/representative";

/** A confirmed L1 block as a node's follower saw it. */
export interface L1BlockRef {
  readonly number: number;
  readonly hash: Hex;
  /** L1 block timestamp, Unix seconds. */
  readonly timestamp: bigint;
}

/**
 * What this node's own L1 follower has seen, injected into block verification: the node passes its
 * real follower, the simulator a seeded L1. Only confirmed blocks are ever answered for.
 */
export interface RegistryEventSource {
  /** The newest confirmed L1 block. */
  confirmedHead(): L1BlockRef;
  /** The confirmed block at `number`, or null if it is not confirmed (yet). */
  blockRef(number: number): L1BlockRef | null;
  /** The governance events in blocks (fromExclusive, toInclusive], in L1 order; toInclusive ≤ head. */
  eventsBetween(fromExclusive: number, toInclusive: number): readonly RegistryEvent[];
}

/**
 * The registry state kept by the chain (the election branch's reducer, adapted). It is mutated only
 * when a block is finalized, which in a BFT chain is never undone, so no copy is needed.
 */
export interface RegistryStateView {
  /** Applies events in order, all or nothing; throws if an event contradicts the state. */
  apply(events: readonly RegistryEvent[]): void;
  /**
   * The eligible candidates at `snapshotTime` (L1 seconds), ranked, at most K by the registry's K
   * rule; `electable` (by signing key) narrows who qualifies, for the chain's own rules (liveness.ts).
   */
  elect(snapshotTime: bigint, electable?: (signingKey: Address) => boolean): readonly Representative[];
  /** The registered, not removed candidates and their current signing keys, in registration order. */
  activeCandidates(): { readonly candidate: Address; readonly signingKey: Address }[];
  /** Whether `signingKey` is the current key of a registered, not removed candidate (its role when not elected). */
  isActiveCandidate(signingKey: Address): boolean;
  /** The candidate `signingKey` is bound to and its latest registration, or null for a key no candidate ever held. */
  registrationOfKey(signingKey: Address): { readonly candidate: Address; readonly registration: number } | null;
}

/** The canonical byte encoding of a governance event, hashed into a block's eventsRoot. */
export interface RegistryEventCodec {
  encodeEvent(event: RegistryEvent): Uint8Array;
}
