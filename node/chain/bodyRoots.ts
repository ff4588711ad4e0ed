import type { Hex } from "../types/primitives";
import { encodeEvidence, type Evidence } from "./evidence";
import { merkleRoot } from "./merkle";
import type { RegistryEventCodec } from "./registryPorts";
import { encodeTransaction, type Transaction } from "./transaction";
import type { BlockBody } from "./types";

/** The header's txRoot: the Merkle root over the transactions' canonical encodings. */
export function txRoot(transactions: readonly Transaction[]): Hex {
  return merkleRoot(transactions.map(encodeTransaction));
}

/** The header's eventsRoot: the Merkle root over the events' canonical encodings. */
export function eventsRoot(codec: RegistryEventCodec, body: Pick<BlockBody, "events">): Hex {
  return merkleRoot(body.events.map((e) => codec.encodeEvent(e)));
}

/** The header's evidenceRoot: the Merkle root over the evidence's canonical encodings (evidence.ts). */
export function evidenceRoot(evidence: readonly Evidence[]): Hex {
  return merkleRoot(evidence.map(encodeEvidence));
}
