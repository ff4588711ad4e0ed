import { ZERO_HASH } from "../chain/bytes";
import type { RegistryEventSource, L1BlockRef } from "../chain/registryPorts";
import type { RegistryEvent, RegistryEventBody } from "../registry/events";
import type { Address, Hex } from "../types/primitives";

/** A fixed L1 whose blocks and events tests choose; everything is confirmed. */
export class StaticL1 implements RegistryEventSource {
  readonly blocks: L1BlockRef[] = [{ number: 0, hash: ZERO_HASH, timestamp: 0n }];
  readonly events: RegistryEvent[] = [];

  addBlock(bodies: readonly RegistryEventBody[], timestamp = BigInt(this.blocks.length * 12)): L1BlockRef {
    const number = this.blocks.length;
    const hash = `0x${number.toString(16).padStart(64, "b")}` as Hex;
    const ref = { number, hash, timestamp };
    this.blocks.push(ref);
    bodies.forEach((body, logIndex) =>
      this.events.push({
        ...body,
        blockNumber: number,
        blockHash: hash,
        transactionHash: hash,
        logIndex,
      } as RegistryEvent),
    );
    return ref;
  }

  confirmedHead(): L1BlockRef {
    return this.blocks[this.blocks.length - 1];
  }
  blockRef(n: number): L1BlockRef | null {
    return this.blocks[n] ?? null;
  }
  // Events are appended block by block, so they are sorted by block number: a binary search keeps a
  // long chain's lookups O(log n) (a scan of all events made the sync benchmark measure this fixture).
  eventsBetween(from: number, to: number): readonly RegistryEvent[] {
    return this.events.slice(this.firstAfter(from), this.firstAfter(to));
  }

  /** Index of the first event of a block after `block`. */
  private firstAfter(block: number): number {
    let low = 0;
    let high = this.events.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.events[mid].blockNumber <= block) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

/**
 * A CandidateRegistered body with no deposit and credentials valid for ~35,000 years of L1 time;
 * `registration` is the candidate's registration nonce (1 for a first registration).
 */
export function registration(candidate: Address, credentialExpiry = 1n << 40n, registration = 1): RegistryEventBody {
  return {
    kind: "CandidateRegistered",
    candidate,
    operator: candidate,
    deposit: 0n,
    qualificationHash: ZERO_HASH,
    credentialExpiry,
    registration,
  };
}

/** K fixed at `k` by the registry's rule (min = max = k). */
export function fixedK(k: bigint): RegistryEventBody {
  return {
    kind: "RepresentativeRuleChanged",
    newMinRepresentatives: k,
    newMaxRepresentatives: k,
    newCandidatesPerSeat: 0n,
  };
}

/** `voter` approves the first registration of `candidate`. */
export function approval(voter: Address, candidate: Address): RegistryEventBody {
  return { kind: "VoteCast", voter, candidate, registration: 1 };
}

/** The voting token gives `account` its first `votes` units of power. */
export function firstPower(account: Address, votes = 1n): RegistryEventBody {
  return { kind: "DelegateVotesChanged", delegate: account, previousVotes: 0n, newVotes: votes };
}
