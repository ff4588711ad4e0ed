import type { Address, Hex } from "../types/primitives";
import type { ChainState } from "./chainState";
import { evidenceHash, isVoteEvidence, type Evidence } from "./evidence";

/**
 * The equivocation jail: who the chain has excluded from elections for committed evidence. It is
 * part of ChainState and changes only when a finalized block is applied, so every node (and a node
 * rebuilding its state from its stored blocks) holds the same jail.
 *
 * A jail is for a candidate's registration, found through the signing key: a key is bound to one
 * candidate for ever (node/registry), so rotating the key after equivocating does not escape it,
 * and the registration is what L1 slashes and removes (a slashed candidate never registers again).
 * A key no candidate holds (a genesis representative that never registered) is jailed as itself,
 * for every registration it may make.
 */
export interface JailState {
  /** candidate → the registration jailed; null: every registration (a key no candidate held). */
  readonly candidates: Map<Address, number | null>;
  /** One committed offence per (signer, vote | proposal, registration): later evidence of it is refused. */
  readonly offences: Set<string>;
  /** Committed evidence by hash, with the height of the block that committed it (for L1 submission, RPC). */
  readonly committed: Map<Hex, { readonly evidence: Evidence; readonly height: number }>;
}

export function emptyJail(): JailState {
  return { candidates: new Map(), offences: new Set(), committed: new Map() };
}

/**
 * What one piece of evidence punishes: vote and proposal evidence are separate offences, so a
 * vote double-sign (which L1 slashes) is still committed after a proposal one (which it does not).
 */
export function offenceOf(state: ChainState, e: Evidence): string {
  const owner = state.governance.registrationOfKey(e.signer);
  return `${e.signer}/${isVoteEvidence(e) ? "vote" : "proposal"}/${owner?.registration ?? "-"}`;
}

export function isOffenceCommitted(state: ChainState, e: Evidence): boolean {
  return state.jail.offences.has(offenceOf(state, e));
}

/** Applies committed evidence: the offence is recorded and its candidate jailed from the next election on. */
export function jailFor(state: ChainState, e: Evidence, height: number): void {
  state.jail.offences.add(offenceOf(state, e));
  state.jail.committed.set(evidenceHash(e), { evidence: e, height });
  const owner = state.governance.registrationOfKey(e.signer);
  if (owner === null) state.jail.candidates.set(e.signer, null);
  else state.jail.candidates.set(owner.candidate, owner.registration);
}

/** Whether the candidate holding `signingKey` (or the bare key) sits in the jail for its current registration. */
export function isJailedKey(state: ChainState, signingKey: Address): boolean {
  const owner = state.governance.registrationOfKey(signingKey);
  const jailed = state.jail.candidates.get(owner?.candidate ?? signingKey);
  if (jailed === undefined) return false;
  return jailed === null || owner === null || jailed === owner.registration;
}
