/** The election: a pure function of the governance state, its canonical encoding and hash. */
export { elect, isEligible, ranksAbove, type ElectionResult, type Representative } from "./elect";
export { ElectionError, ElectionErrorCode, type ElectionErrorType } from "./errors";
export { ELECTION_RESULT_ENCODING_VERSION, electionResultHash, encodeElectionResult } from "./resultHash";
export { representativeCount, type RepresentativeRule } from "./representativeCount";
export { candidateStandings, type CandidateStanding } from "./standings";
export { TopK } from "./topK";
