import { encodeRepresentatives } from "../election/representative";
import { CERTIFICATE_FIXED_BYTES, encodeCommitCertificate } from "./certificate";
import type { RegistryEventCodec } from "./registryPorts";
import { HEADER_BYTES } from "./headerCodec";
import { encodeTransaction, MAX_PAYLOAD_BYTES, TRANSACTION_OVERHEAD_BYTES, type Transaction } from "./transaction";
import type { Block } from "./types";
import { encodeEvidence, MAX_EVIDENCE_BYTES, MAX_EVIDENCE_PER_BLOCK, type Evidence } from "./evidence";

/**
 * Byte budgets: consensus rules (genesis parameters, the same on every node) on how large a block
 * and a transaction may be, so that every valid block fits on the wire and in every buffer.
 *
 * A block's size is the length of its canonical binary form: the header, the 65-byte
 * proposer signature, each event, piece of evidence and transaction behind a 4-byte length, and the election
 * result's encoding (node/election/representative.ts) and the lastCommit's (certificate.ts, at most
 * 48 + 65 bytes per member of the parent's set) each behind a 4-byte length. A transaction's size is its signed encoding:
 * from (20) ‖ nonce (8) ‖ payload length (4) ‖ payload ‖ signature (65).
 */

/** Largest maxTransactionBytes a genesis may set (the codec's payload limit). */
export const MAX_TRANSACTION_BYTES_LIMIT = TRANSACTION_OVERHEAD_BYTES + MAX_PAYLOAD_BYTES;
/**
 * Largest maxBlockBytes a genesis may set: the wire form of such a block with its certificate
 * (node/consensus/messageCodec.ts, at most twice as large) must fit one sync response and one frame.
 */
export const MAX_BLOCK_BYTES_LIMIT = 1536 * 1024;
/** Defaults of `repchain init`: a 4 KiB payload; a block of ≈ 250 such transactions. */
export const DEFAULT_MAX_TRANSACTION_BYTES = TRANSACTION_OVERHEAD_BYTES + 4096;
export const DEFAULT_MAX_BLOCK_BYTES = 1024 * 1024;
/** Default of `repchain init` for the count of transactions a valid block may carry. */
export const DEFAULT_MAX_TRANSACTIONS_PER_BLOCK = 2000;
/** Largest maxTransactionsPerBlock a genesis may set (the gossip codec's bound on a block's list). */
export const MAX_TRANSACTIONS_PER_BLOCK_LIMIT = 10_000;

const LENGTH_PREFIX_BYTES = 4;
const SIGNATURE_BYTES = 65;
/** The largest election result a block can carry (the wire codec's bound of 256 representatives). */
export const MAX_ELECTION_RESULT_BYTES = LENGTH_PREFIX_BYTES + 64 + 96 * 256;
/** A block with no events, no transactions and no election. */
export const EMPTY_BLOCK_BYTES = HEADER_BYTES + SIGNATURE_BYTES;
/** The largest lastCommit a block can carry: the certificate's fixed fields and a signature from each of 256 members. */
export const MAX_LAST_COMMIT_BYTES = LENGTH_PREFIX_BYTES + CERTIFICATE_FIXED_BYTES + SIGNATURE_BYTES * 256;

/**
 * The smallest maxBlockBytes a genesis may set, given its maxTransactionBytes. An honest proposer
 * gives L1 events at most half the budget (produceBlock.ts); the other half must hold what a block
 * may have to carry whatever the budget — the largest lastCommit, election result and evidence
 * list — and one largest transaction. Below it, an epoch's last block with a large set could not
 * be built within the budget, and the chain would halt there.
 */
export function minimumMaxBlockBytes(maxTransactionBytes: number): number {
  const evidence = MAX_EVIDENCE_PER_BLOCK * (LENGTH_PREFIX_BYTES + MAX_EVIDENCE_BYTES);
  const required = EMPTY_BLOCK_BYTES + evidence + MAX_LAST_COMMIT_BYTES + MAX_ELECTION_RESULT_BYTES;
  return 2 * (required + LENGTH_PREFIX_BYTES + maxTransactionBytes);
}

export function transactionBytes(tx: Transaction): number {
  return encodeTransaction(tx).length;
}

/** What one transaction adds to its block's size. */
export function transactionBlockBytes(tx: Transaction): number {
  return LENGTH_PREFIX_BYTES + transactionBytes(tx);
}

/** What one piece of equivocation evidence adds to its block's size. */
export function evidenceBlockBytes(e: Evidence): number {
  return LENGTH_PREFIX_BYTES + encodeEvidence(e).length;
}

/** What a block holds besides its transactions. */
export function blockBytesWithoutTransactions(codec: RegistryEventCodec, block: Pick<Block, "body">): number {
  const { events, evidence, electionResult, lastCommit } = block.body;
  let bytes = EMPTY_BLOCK_BYTES;
  for (const event of events) bytes += LENGTH_PREFIX_BYTES + codec.encodeEvent(event).length;
  for (const e of evidence) bytes += evidenceBlockBytes(e);
  if (electionResult !== null) bytes += LENGTH_PREFIX_BYTES + encodeRepresentatives(electionResult).length;
  if (lastCommit !== null) bytes += LENGTH_PREFIX_BYTES + encodeCommitCertificate(lastCommit).length;
  return bytes;
}

export function blockBytes(codec: RegistryEventCodec, block: Pick<Block, "body">): number {
  let bytes = blockBytesWithoutTransactions(codec, block);
  for (const tx of block.body.transactions) bytes += transactionBlockBytes(tx);
  return bytes;
}
