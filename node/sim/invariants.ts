import { headerHash } from "../chain/headerCodec";
import type { FinalizedBlock } from "../chain/types";
import type { Address, Hex } from "../types/primitives";
import type { ConsensusMessage } from "../consensus/messages";

/** A broken invariant: the simulation stops and prints the seed. */
export class InvariantViolation extends Error {
  constructor(
    readonly invariant:
      "agreement" | "validity" | "l1-anchor" | "double-sign" | "evidence" | "epoch-sets" | "liveness" | "honest-reject",
    detail: string,
  ) {
    super(`${invariant}: ${detail}`);
    this.name = "InvariantViolation";
  }
}

/**
 * The checks run after every simulation step. Each keeps one global record and compares every
 * node's new fact against it, so a check costs O(1) per fact, not O(history).
 */
export class Invariants {
  private readonly finalizedHashes = new Map<number, Hex>();
  private readonly signed = new Map<string, string>();
  private readonly epochSets = new Map<number, string>();
  private highest = 0;

  /** No two different blocks finalized at one height, on any node. */
  onFinalized(node: number, finalized: FinalizedBlock): void {
    const h = finalized.block.header.height;
    const hash = headerHash(finalized.block.header);
    const known = this.finalizedHashes.get(h);
    if (known === undefined) {
      this.finalizedHashes.set(h, hash);
      if (h > this.highest) this.highest = h;
    } else if (known !== hash)
      throw new InvariantViolation("agreement", `node ${node} finalized ${hash} at height ${h}, another node ${known}`);
  }

  /**
   * No validator releases two different messages for one (height, round, step). Votes a node
   * relays for others (a polka with a re-proposal) are not its releases and are skipped.
   */
  onReleased(validator: Address, message: ConsensusMessage): void {
    if (message.type === "vote" && message.validator !== validator) return;
    let key: string;
    let value: string;
    if (message.type === "proposal") {
      key = `${validator}/${message.height}/${message.round}/propose`;
      value = `${headerHash(message.block.header)}/${message.validRound}`;
    } else if (message.type === "vote") {
      key = `${validator}/${message.height}/${message.round}/${message.kind}`;
      value = message.blockHash ?? "nil";
    } else {
      return;
    }
    const known = this.signed.get(key);
    if (known === undefined) this.signed.set(key, value);
    else if (known !== value) throw new InvariantViolation("double-sign", `${key}: signed ${known} and ${value}`);
  }

  /** Every node derives the same representatives for every epoch. */
  onEpochSet(node: number, epoch: number, set: readonly Address[]): void {
    const value = set.join(",");
    const known = this.epochSets.get(epoch);
    if (known === undefined) this.epochSets.set(epoch, value);
    else if (known !== value)
      throw new InvariantViolation("epoch-sets", `node ${node} epoch ${epoch}: ${value} vs ${known}`);
  }

  get highestFinalized(): number {
    return this.highest;
  }

  distinctEpochSets(): number {
    return new Set(this.epochSets.values()).size;
  }
}
