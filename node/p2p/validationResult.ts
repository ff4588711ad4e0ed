/**
 * What a topic validator says of a gossip message, as in the consensus specs' p2p-interface:
 * ACCEPT delivers and forwards it; IGNORE drops it quietly (stale, duplicate, not yet useful — the
 * sender may be honest); REJECT drops it and penalises the peer that sent it (it is invalid: no honest
 * peer would have forwarded it).
 */
export enum ValidationResult {
  Accept = "ACCEPT",
  Ignore = "IGNORE",
  Reject = "REJECT",
}

/** The P2P result of a topic handler's verdict (node/consensus/consensusDriver.ts's Verdict). */
export const VALIDATION_OF: Readonly<Record<"accept" | "ignore" | "reject", ValidationResult>> = {
  accept: ValidationResult.Accept,
  ignore: ValidationResult.Ignore,
  reject: ValidationResult.Reject,
};
