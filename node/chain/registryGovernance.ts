import { elect } from "../election";
import {
  applyEvents,
  CandidateStatus,
  emptyGovernanceState,
  encodeGovernanceEvent,
  type GovernanceState,
} from "../governance";
import type { Address, GovernanceEvent } from "../types/governance";
import type { GovernanceCodec, GovernanceView } from "./governance";
import type { Representative } from "./types";

/** The canonical event codec of node/governance, as the chain hashes events into eventsRoot. */
export const registryCodec: GovernanceCodec = { encodeEvent: encodeGovernanceEvent };

/** The chain's GovernanceView over the governance reducer and the top-K election. */
export class RegistryGovernance implements GovernanceView {
  constructor(readonly registry: GovernanceState = emptyGovernanceState()) {}

  apply(events: readonly GovernanceEvent[]): void {
    applyEvents(this.registry, events);
  }

  elect(snapshotTime: bigint): readonly Representative[] {
    return elect(this.registry, snapshotTime).representatives;
  }

  isActiveCandidate(signingKey: Address): boolean {
    const candidate = this.registry.keyOwners.get(signingKey);
    const record = candidate === undefined ? undefined : this.registry.candidates.get(candidate);
    return record?.status === CandidateStatus.Active && record.signingKey === signingKey;
  }
}
