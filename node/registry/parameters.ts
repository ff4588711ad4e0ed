import type { RegistryParameters, RegistryState } from "./state";
import type { EventOf, Undo } from "./transition";

/**
 * Governed parameters are recorded as announced (the new value; the old one is the state's).
 * Their invariants (1 ≤ threshold ≤ auditors, min ≤ max, …) are the contracts' to enforce; the
 * reducer does not second-guess them, since a parameter event cannot contradict earlier events.
 */
function setParameters(state: RegistryState, values: Partial<RegistryParameters>): Undo {
  const previous = { ...state.parameters };
  Object.assign(state.parameters, values);
  return () => Object.assign(state.parameters, previous);
}

export function applyThresholdChanged(state: RegistryState, e: EventOf<"ThresholdChanged">): Undo {
  return setParameters(state, { threshold: e.newThreshold });
}

export function applyMinDepositChanged(state: RegistryState, e: EventOf<"MinDepositChanged">): Undo {
  return setParameters(state, { minDeposit: e.newMinDeposit });
}

export function applyUnbondingPeriodChanged(state: RegistryState, e: EventOf<"UnbondingPeriodChanged">): Undo {
  return setParameters(state, { unbondingPeriod: e.newPeriod });
}

export function applyRepresentativeRuleChanged(state: RegistryState, e: EventOf<"RepresentativeRuleChanged">): Undo {
  return setParameters(state, {
    minRepresentatives: e.newMinRepresentatives,
    maxRepresentatives: e.newMaxRepresentatives,
    candidatesPerSeat: e.newCandidatesPerSeat,
  });
}

export function applyMaxVotesPerVoterChanged(state: RegistryState, e: EventOf<"MaxVotesPerVoterChanged">): Undo {
  return setParameters(state, { maxVotesPerVoter: e.newMax });
}
