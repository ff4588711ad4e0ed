import type { Hex } from "../types/primitives";
import type { LockEvidence } from "./tendermint";

/** The steps of a round, in order: a validator signs at most one message set per (h, r, step). */
export enum SignStep {
  PROPOSE = 0,
  PREVOTE = 1,
  PRECOMMIT = 2,
}

/** The last thing this validator signed: persisted before the signature leaves the process. */
export interface SignState {
  readonly height: number;
  readonly round: number;
  readonly step: SignStep;
  /** keccak of the signed digests, so an identical request after a crash gets the same signatures. */
  readonly digestsHash: Hex;
  readonly signatures: readonly Hex[];
  /** For a vote: what it voted for (null = nil), so a restarted node can resend and count it. */
  readonly vote: { readonly kind: "prevote" | "precommit"; readonly blockHash: Hex | null } | null;
  /**
   * Tendermint's lock at this height (its last non-nil precommit): it must survive a crash, or a
   * restarted validator could prevote against its own precommit in a later round.
   */
  readonly lock: LockEvidence | null;
}

/** Durable storage of the last SignState. `save` must not return before the state is durable. */
export interface SignStateStore {
  load(): SignState | null;
  save(state: SignState): void;
}

/** For the simulator and tests: survives a simulated crash because the simulator keeps the object. */
export class MemorySignStateStore implements SignStateStore {
  private state: SignState | null = null;
  load(): SignState | null {
    return this.state;
  }
  save(state: SignState): void {
    this.state = state;
  }
}

/** (h, r, s) order: negative if a < b. */
export function compareHrs(
  a: Pick<SignState, "height" | "round" | "step">,
  b: Pick<SignState, "height" | "round" | "step">,
): number {
  return a.height - b.height || a.round - b.round || a.step - b.step;
}
