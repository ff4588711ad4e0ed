import { elect } from "../election";
import {
  applyEvents,
  CandidateStatus,
  emptyGovernanceState,
  encodeGovernanceEvent,
  type GovernanceState,
} from "../registry";
import type { Address } from "../types/primitives";
import type { GovernanceEvent } from "../registry/events";
import type { GovernanceCodec, GovernanceView } from "./registryPorts";
import type { Representative } from "../election/representative";

/** The canonical event codec of node/registry, as the chain hashes events into eventsRoot. */
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
