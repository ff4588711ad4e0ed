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
