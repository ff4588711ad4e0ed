import type { Address, Hex } from "../types/primitives";
import { epochOf, isLastOfEpoch } from "./epochs";
import { genesisHash, type Genesis } from "./genesis";
import type { RegistryEventCodec, RegistryStateView } from "./registryPorts";
import { headerHash } from "./headerCodec";
import { retarget } from "./pow";
import type { Block } from "./types";
import type { Representative } from "../election/representative";
import { ZERO_HASH } from "./bytes";
import { emptyLiveness, recordLiveness, type LivenessState } from "./liveness";
import { emptyJail, jailFor, type JailState } from "./jail";
import { excludedCandidatesAt, type ExcludedCandidate } from "./electability";

/** Static parameters of block validity, the same on every node. */
export interface ChainConfig {
  readonly genesis: Genesis;
  readonly genesisHash: Hex;
  readonly codec: RegistryEventCodec;
  /** How far a block's timestamp may run ahead of the verifier's clock. */
  readonly maxFutureDriftMs: number;
  /**
   * A deliberately broken build for the simulator's tests (with ConsensusFaults.weakQuorum): a
   * lastCommit needs f + 1 signers, as that build's decisions have. Never set in a node.
   */
  readonly unsafeWeakLastCommit?: boolean;
}

export function chainConfig(
  genesis: Genesis,
  codec: RegistryEventCodec,
  overrides: Partial<ChainConfig> = {},
): ChainConfig {
  return {
    genesis,
    genesisHash: genesisHash(genesis),
    codec,
    maxFutureDriftMs: 2000,
    ...overrides,
  };
}

/** A node's view of the finalized chain: everything needed to verify and to build block height + 1. */
export interface ChainState {
  height: number;
  headHash: Hex;
  headTimestamp: number;
  l1Anchor: { number: number; hash: Hex };
  /** Timestamp of the previous epoch's last block (genesis for epoch 0): the retarget's start. */
  epochStartTimestamp: number;
  /** The PoW target of the epoch of height + 1. */
  powTarget: bigint;
  /** The representatives of the epoch of height + 1, in proposer order. */
  representatives: readonly Representative[];
  /** Every epoch's frozen set of signing keys, for certificates of blocks synced later and for the simulator. */
  readonly setsByEpoch: Map<number, readonly Address[]>;
  readonly governance: RegistryStateView;
  /** The next nonce each account must use. */
  readonly accountNonces: Map<Address, bigint>;
  /** Who signed what in the current epoch and who is jailed for downtime (liveness.ts). */
  readonly liveness: LivenessState;
  /** Candidates jailed for equivocation, and the offences committed (jail.ts). */
  readonly jail: JailState;
  /** The active candidates the newest election left out by the chain's rules, and why (electability.ts). */
  excludedAtLastElection: readonly ExcludedCandidate[];
}

export function createChainState(config: ChainConfig, governance: RegistryStateView): ChainState {
  const g = config.genesis;
  return {
    height: 0,
    headHash: config.genesisHash,
    headTimestamp: g.timestamp,
    l1Anchor: { number: g.l1.deploymentBlock - 1, hash: ZERO_HASH },
    epochStartTimestamp: g.timestamp,
    powTarget: g.initialPowTarget,
    representatives: genesisRepresentatives(g),
    setsByEpoch: new Map([[0, [...g.representatives]]]),
    governance,
    accountNonces: new Map(),
    liveness: emptyLiveness(),
    jail: emptyJail(),
    excludedAtLastElection: [],
  };
}

/** Genesis names keys: each first representative is a candidate signing with its own address. */
export function genesisRepresentatives(genesis: Genesis): Representative[] {
  return genesis.representatives.map((address) => ({ address, signingKey: address, votes: 0n }));
}

/** The keys that propose and vote in the epoch of height + 1: the signing keys standing at its election. */
export function representativeAddresses(state: ChainState): Address[] {
  return state.representatives.map((r) => r.signingKey);
}

/**
 * Applies a finalized (verified and certified) block. Governance first, since a rejected event
 * throws before anything else changed; then the head; and, on an epoch's last block, the switch:
 * the elected set and the retargeted PoW apply from the next block on.
 */
export function applyFinalizedBlock(config: ChainConfig, state: ChainState, block: Block): void {
  const h = block.header;
  state.governance.apply(block.body.events);
  for (const tx of block.body.transactions) state.accountNonces.set(tx.from, tx.nonce + 1n);
  const L = config.genesis.epochLength;
  // As the election saw them: before this block's liveness record and evidence are applied.
  if (isLastOfEpoch(h.height, L)) state.excludedAtLastElection = excludedCandidatesAt(config, state, block.body);
  recordLiveness(config, state, block);
  for (const e of block.body.evidence) jailFor(state, e, h.height);
  const previousTimestamp = state.epochStartTimestamp;
  state.height = h.height;
  state.headHash = headerHash(h);
  state.headTimestamp = h.timestamp;
  state.l1Anchor = { number: h.l1AnchorNumber, hash: h.l1AnchorHash };
  if (isLastOfEpoch(h.height, L) && block.body.electionResult !== null) {
    state.representatives = block.body.electionResult;
    state.setsByEpoch.set(
      epochOf(h.height, L) + 1,
      block.body.electionResult.map((r) => r.signingKey),
    );
    state.powTarget = retarget(state.powTarget, h.timestamp - previousTimestamp, L, config.genesis.targetBlockTimeMs);
    state.epochStartTimestamp = h.timestamp;
  }
}
