/** The election: a pure function of the governance state, its canonical encoding and hash. */
export { elect, isEligible, ranksAbove, type ElectionResult } from "./elect";
export { ElectionError, ElectionErrorCode, type ElectionErrorType } from "./errors";
export { electionResultHash, encodeRepresentatives, type Representative } from "./representative";
export { representativeCount, type RepresentativeRule } from "./representativeCount";
export { candidateStandings, type CandidateStanding } from "./standings";
export { TopK } from "./topK";
