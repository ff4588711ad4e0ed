import type { GovernanceParameters, GovernanceState } from "./state";
import type { EventOf, Undo } from "./transition";

/**
 * Governed parameters are recorded as announced (the new value; the old one is the state's).
 * Their invariants (1 ≤ threshold ≤ auditors, min ≤ max, …) are the contracts' to enforce; the
 * reducer does not second-guess them, since a parameter event cannot contradict earlier events.
 */
function setParameters(state: GovernanceState, values: Partial<GovernanceParameters>): Undo {
  const previous = { ...state.parameters };
  Object.assign(state.parameters, values);
  return () => Object.assign(state.parameters, previous);
}

export function applyThresholdChanged(state: GovernanceState, e: EventOf<"ThresholdChanged">): Undo {
  return setParameters(state, { threshold: e.newThreshold });
}

export function applyMinDepositChanged(state: GovernanceState, e: EventOf<"MinDepositChanged">): Undo {
  return setParameters(state, { minDeposit: e.newMinDeposit });
}

export function applyUnbondingPeriodChanged(state: GovernanceState, e: EventOf<"UnbondingPeriodChanged">): Undo {
  return setParameters(state, { unbondingPeriod: e.newPeriod });
}

export function applyRepresentativeRuleChanged(state: GovernanceState, e: EventOf<"RepresentativeRuleChanged">): Undo {
  return setParameters(state, {
    minRepresentatives: e.newMinRepresentatives,
    maxRepresentatives: e.newMaxRepresentatives,
    candidatesPerSeat: e.newCandidatesPerSeat,
  });
}

export function applyMaxVotesPerVoterChanged(state: GovernanceState, e: EventOf<"MaxVotesPerVoterChanged">): Undo {
  return setParameters(state, { maxVotesPerVoter: e.newMax });
}
