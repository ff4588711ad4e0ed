/** The registry state rebuilt from L1 governance events: reducer, snapshot and canonical codec. */
export { applyEvent, applyEvents } from "./applyEvent";
export { GOVERNANCE_EVENT_ENCODING_VERSION, KIND_CODES, decodeRegistryEvent, encodeRegistryEvent } from "./codec";
export { RegistryError, RegistryErrorCode, type RegistryErrorType } from "./errors";
export { snapshotRegistryState, stateDigest, type CandidateSnapshot, type RegistrySnapshot } from "./snapshot";
export {
  CandidateStatus,
  DEFAULT_GOVERNANCE_PARAMETERS,
  emptyRegistryState,
  isLive,
  powerOf,
  publicStatus,
  type PublicStatus,
  votesFor,
  type CandidateRecord,
  type RegistryParameters,
  type RegistryState,
} from "./state";
