import type { Address } from "../types/primitives";
import type { ChainConfig, ChainState } from "./chainState";
import { isLastOfEpoch } from "./epochs";
import { lastCommitSigners, parentSet } from "./lastCommit";
import type { Block, BlockBody } from "./types";

/**
 * Who may be elected, read from the chain itself so that every node, and every node after a
 * restart (the state is rebuilt by replaying the stored blocks), reaches the same answer:
 *
 * - **Liveness**: a signing key is electable at the election of epoch x (carried by x's last
 *   block) only if it signed something in a block of epoch x: a transaction (a heartbeat,
 *   `repchain tx heartbeat`, or any other) or a precommit in a lastCommit carried by one of x's
 *   blocks. The election block itself counts.
 * - **Downtime**: the commits counted for epoch x are the lastCommits carried by x's blocks except
 *   its first (which carries the previous epoch's last commit, signed by the previous set): the
 *   commits of x's own blocks but its last, whose commit is carried only by the next epoch's
 *   first block, after the election — epochLength − 1 commits. A member of x's set whose precommit
 *   is in fewer than `minSignedPermille`/1000 of them is not electable at x's election nor at the
 *   following `downtimeJailEpochs` − 1 ones (it may be elected into epoch x + downtimeJailEpochs
 *   + 1 again, after a heartbeat in epoch x + downtimeJailEpochs).
 */
export interface LivenessState {
  /** The epoch of height + 1, which the fields below are about. */
  epoch: number;
  /** Keys that signed something in a block of `epoch` so far. */
  readonly active: Set<Address>;
  /** Commits of `epoch` counted so far, and for each member how many of them hold its precommit. */
  commitsCounted: number;
  readonly signedCommits: Map<Address, number>;
  /** A key jailed for downtime → the last epoch it may not be elected into. */
  readonly jailedThroughEpoch: Map<Address, number>;
}

export function emptyLiveness(): LivenessState {
  return { epoch: 0, active: new Set(), commitsCounted: 0, signedCommits: new Map(), jailedThroughEpoch: new Map() };
}

/** The first block of an epoch carries the commit of the previous epoch's last block. */
function countsForDowntime(height: number, epochLength: number): boolean {
  return (height - 1) % epochLength !== 0;
}

function carriedSigners(
  config: ChainConfig,
  state: ChainState,
  height: number,
  body: Pick<BlockBody, "lastCommit">,
): Address[] {
  const commit = body.lastCommit;
  if (commit === null) return [];
  return lastCommitSigners(config.genesis.chainId, commit, parentSet(config, state, height), height);
}

/**
 * The members of the epoch's set below the downtime threshold, once the commit carried by its last
 * block (`lastSigners`) is counted too.
 */
function downtimeOffenders(config: ChainConfig, state: ChainState, lastSigners: readonly Address[]): Address[] {
  const live = state.liveness;
  const commits = live.commitsCounted + 1;
  const permille = config.genesis.minSignedPermille;
  const inLast = new Set(lastSigners);
  const members = state.setsByEpoch.get(live.epoch) ?? [];
  return members.filter((key) => {
    const signed = (live.signedCommits.get(key) ?? 0) + (inLast.has(key) ? 1 : 0);
    return signed * 1000 < permille * commits;
  });
}

/** Why the liveness rules keep a key out of an election: it signed nothing in the epoch, or downtime. */
export type LivenessExclusion = "inactive" | "downtime";

/**
 * Why `signingKey` may not be elected by the epoch's last block, whose body is `body` (built or
 * being verified, not applied yet; its lastCommit verified), or null if the liveness rules allow it.
 */
export function livenessExclusionAt(
  config: ChainConfig,
  state: ChainState,
  body: Pick<BlockBody, "transactions" | "lastCommit">,
): (signingKey: Address) => LivenessExclusion | null {
  const height = state.height + 1;
  const signers = carriedSigners(config, state, height, body);
  const active = new Set([...state.liveness.active, ...signers, ...body.transactions.map((tx) => tx.from)]);
  const offenders = new Set(downtimeOffenders(config, state, signers));
  const electedInto = state.liveness.epoch + 1;
  return (key) => {
    if (offenders.has(key) || (state.liveness.jailedThroughEpoch.get(key) ?? -1) >= electedInto) return "downtime";
    return active.has(key) ? null : "inactive";
  };
}

/**
 * Records what a finalized block says about liveness (called by applyFinalizedBlock before the
 * epoch switch): its senders and lastCommit signers are active; a counted commit adds to the
 * downtime tally; the epoch's last block jails the offenders and starts the next epoch's record.
 */
export function recordLiveness(config: ChainConfig, state: ChainState, block: Block): void {
  const h = block.header.height;
  const L = config.genesis.epochLength;
  const live = state.liveness;
  const signers = carriedSigners(config, state, h, block.body);
  if (isLastOfEpoch(h, L)) {
    for (const key of downtimeOffenders(config, state, signers)) {
      live.jailedThroughEpoch.set(key, live.epoch + config.genesis.downtimeJailEpochs);
    }
    startEpoch(live, live.epoch + 1);
    return;
  }
  for (const tx of block.body.transactions) live.active.add(tx.from);
  for (const key of signers) live.active.add(key);
  if (!countsForDowntime(h, L)) return;
  live.commitsCounted++;
  for (const key of signers) live.signedCommits.set(key, (live.signedCommits.get(key) ?? 0) + 1);
}

function startEpoch(live: LivenessState, epoch: number): void {
  live.epoch = epoch;
  live.active.clear();
  live.commitsCounted = 0;
  live.signedCommits.clear();
  for (const [key, through] of live.jailedThroughEpoch) if (through <= epoch) live.jailedThroughEpoch.delete(key);
}
