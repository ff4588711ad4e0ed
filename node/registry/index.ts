/** The registry state rebuilt from L1 governance events: reducer, snapshot and canonical codec. */
export { applyEvent, applyEvents } from "./applyEvent";
export { GOVERNANCE_EVENT_ENCODING_VERSION, KIND_CODES, decodeGovernanceEvent, encodeGovernanceEvent } from "./codec";
export { GovernanceError, GovernanceErrorCode, type GovernanceErrorType } from "./errors";
export { snapshotGovernanceState, stateDigest, type CandidateSnapshot, type GovernanceSnapshot } from "./snapshot";
export {
  CandidateStatus,
  DEFAULT_GOVERNANCE_PARAMETERS,
  emptyGovernanceState,
  isLive,
  powerOf,
  publicStatus,
  type PublicStatus,
  votesFor,
  type CandidateRecord,
  type GovernanceParameters,
  type GovernanceState,
} from "./state";
