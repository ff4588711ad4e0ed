import type { GovernanceParameters, GovernanceState } from "./state";
import type { EventOf, Undo } from "./transition";

/**
 * Governed parameters are recorded as announced. Their invariants (1 ≤ threshold ≤ auditors, …)
 * are the contracts' to enforce; the reducer does not second-guess them, since a parameter event
 * cannot contradict earlier events.
 */
function setParameter(state: GovernanceState, name: keyof GovernanceParameters, value: bigint): Undo {
  const previous = state.parameters[name];
  state.parameters[name] = value;
  return () => {
    state.parameters[name] = previous;
  };
}

export function applyThresholdChanged(state: GovernanceState, e: EventOf<"ThresholdChanged">): Undo {
  return setParameter(state, "threshold", e.threshold);
}

export function applyMinDepositChanged(state: GovernanceState, e: EventOf<"MinDepositChanged">): Undo {
  return setParameter(state, "minDeposit", e.minDeposit);
}

export function applyUnbondingPeriodChanged(state: GovernanceState, e: EventOf<"UnbondingPeriodChanged">): Undo {
  return setParameter(state, "unbondingPeriod", e.unbondingPeriod);
}

export function applyRepresentativeCountChanged(
  state: GovernanceState,
  e: EventOf<"RepresentativeCountChanged">,
): Undo {
  return setParameter(state, "representativeCount", e.representativeCount);
}

export function applyMaxVotesPerVoterChanged(state: GovernanceState, e: EventOf<"MaxVotesPerVoterChanged">): Undo {
  return setParameter(state, "maxVotesPerVoter", e.maxVotesPerVoter);
}
