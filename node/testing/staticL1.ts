import { ZERO_HASH } from "../chain/bytes";
import type { GovernanceSource, L1BlockRef } from "../chain/registryPorts";
import type { GovernanceEvent, GovernanceEventBody } from "../registry/events";
import type { Address, Hex } from "../types/primitives";

/** A fixed L1 whose blocks and events tests choose; everything is confirmed. */
export class StaticL1 implements GovernanceSource {
  readonly blocks: L1BlockRef[] = [{ number: 0, hash: ZERO_HASH, timestamp: 0n }];
  readonly events: GovernanceEvent[] = [];

  addBlock(bodies: readonly GovernanceEventBody[], timestamp = BigInt(this.blocks.length * 12)): L1BlockRef {
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
      } as GovernanceEvent),
    );
    return ref;
  }

  confirmedHead(): L1BlockRef {
    return this.blocks[this.blocks.length - 1];
  }
  blockRef(n: number): L1BlockRef | null {
    return this.blocks[n] ?? null;
  }
  eventsBetween(from: number, to: number): readonly GovernanceEvent[] {
    return this.events.filter((e) => e.blockNumber > from && e.blockNumber <= to);
  }
}

/** A CandidateRegistered body with no deposit and credentials valid for ~35,000 years of L1 time. */
export function registration(candidate: Address, credentialExpiry = 1n << 40n): GovernanceEventBody {
  return {
    kind: "CandidateRegistered",
    candidate,
    operator: candidate,
    deposit: 0n,
    qualificationHash: ZERO_HASH,
    credentialExpiry,
  };
}
