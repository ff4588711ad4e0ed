import { elect } from "../election";
import { applyEvents, CandidateStatus, emptyRegistryState, encodeRegistryEvent, type RegistryState } from "../registry";
import type { Address } from "../types/primitives";
import type { RegistryEvent } from "../registry/events";
import type { RegistryEventCodec, RegistryStateView } from "./registryPorts";
import type { Representative } from "../election/representative";

/** The canonical event codec of node/registry, as the chain hashes events into eventsRoot. */
export const registryCodec: RegistryEventCodec = { encodeEvent: encodeRegistryEvent };

/** The chain's RegistryStateView over the governance reducer and the top-K election. */
export class RegistryMirror implements RegistryStateView {
  constructor(readonly registry: RegistryState = emptyRegistryState()) {}

  apply(events: readonly RegistryEvent[]): void {
    applyEvents(this.registry, events);
  }

  elect(snapshotTime: bigint, electable?: (signingKey: Address) => boolean): readonly Representative[] {
    return elect(this.registry, snapshotTime, undefined, electable).representatives;
  }

  activeCandidates(): { candidate: Address; signingKey: Address }[] {
    const active = [...this.registry.candidates].filter(([, r]) => r.status === CandidateStatus.Active);
    return active.map(([candidate, r]) => ({ candidate, signingKey: r.signingKey }));
  }

  isActiveCandidate(signingKey: Address): boolean {
    const candidate = this.registry.keyOwners.get(signingKey);
    const record = candidate === undefined ? undefined : this.registry.candidates.get(candidate);
    return record?.status === CandidateStatus.Active && record.signingKey === signingKey;
  }

  registrationOfKey(signingKey: Address): { candidate: Address; registration: number } | null {
    const candidate = this.registry.keyOwners.get(signingKey);
    const record = candidate === undefined ? undefined : this.registry.candidates.get(candidate);
    return candidate === undefined || record === undefined ? null : { candidate, registration: record.registration };
  }
}
