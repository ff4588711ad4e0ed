import { applyEvents, emptyRegistryState, type RegistryState } from "../registry";
import type { StoredL1Header } from "../store/l1Store";
import type { RegistryEvent } from "../registry/events";

/**
 * The governance state at the confirmed head, kept incrementally. Only confirmed events reach it,
 * and a reorg of a confirmed block halts the follower, so it never has to be undone.
 */
export class ConfirmedState {
  readonly state: RegistryState = emptyRegistryState();
  private current: StoredL1Header | undefined;

  get head(): StoredL1Header | undefined {
    return this.current;
  }

  /** Moves the confirmed head to `head`, applying the events of (old head, head] in L1 order. */
  advance(head: StoredL1Header, events: readonly RegistryEvent[]): void {
    applyEvents(this.state, events);
    this.current = head;
  }
}
