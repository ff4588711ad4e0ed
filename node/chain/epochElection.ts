import type { ChainConfig, ChainState } from "./chainState";
import { exclusionAt } from "./electability";
import type { BlockBody } from "./types";
import { ChainError, ChainErrorCode } from "./errors";
import type { RegistryEventSource } from "./registryPorts";
import type { Representative } from "../election/representative";

/** The fewest representatives a BFT quorum works with (3f + 1 for f = 1). */
export const MIN_REPRESENTATIVES = 4;

/**
 * The election an epoch's last block must carry: the chain's governance state (every event stored
 * on this chain, up to the parent's anchor — the last block imports none), K from that state,
 * credentials judged at the anchor's L1 timestamp, and only candidates whose signing key is alive
 * and not jailed for downtime (liveness.ts; `body` is the election block's, whose transactions and
 * lastCommit count). If fewer than MIN_REPRESENTATIVES candidates qualify, no BFT quorum could be
 * formed from them, so the current representatives stay on for another epoch, with their previous
 * vote counts.
 */
export function expectedElection(
  config: ChainConfig,
  state: ChainState,
  source: RegistryEventSource,
  body: Pick<BlockBody, "transactions" | "lastCommit">,
): readonly Representative[] {
  const anchor = source.blockRef(state.l1Anchor.number);
  if (anchor === null) {
    throw new ChainError({
      code: ChainErrorCode.ANCHOR_NOT_CONFIRMED,
      confirmedHead: source.confirmedHead().number,
      anchor: state.l1Anchor.number,
    });
  }
  const exclusion = exclusionAt(config, state, body);
  const elected = state.governance.elect(anchor.timestamp, (key) => exclusion(key) === null);
  return elected.length >= MIN_REPRESENTATIVES ? elected : state.representatives;
}
