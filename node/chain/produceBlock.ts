import type { Address } from "../types/primitives";
import type { RegistryEvent } from "../registry/events";
import { electionResultHash } from "../election/representative";
import { eventsRoot, evidenceRoot, txRoot } from "./bodyRoots";
import { MAX_EVIDENCE_PER_BLOCK, verifyEvidence, type Evidence } from "./evidence";
import { isOffenceCommitted, offenceOf } from "./jail";
import {
  blockBytesWithoutTransactions,
  MAX_ELECTION_RESULT_BYTES,
  transactionBlockBytes,
  transactionBytes,
} from "./budgets";
import type { ChainConfig, ChainState } from "./chainState";
import { expectedElection } from "./epochElection";
import { epochOf, isLastOfEpoch } from "./epochs";
import type { RegistryEventSource } from "./registryPorts";
import { headerHash } from "./headerCodec";
import { signDigest, type KeyPair } from "./signing";
import type { Block, BlockBody, BlockHeader, CommitCertificate } from "./types";
import { commitCertificateHash } from "./certificate";
import type { Transaction } from "./transaction";
import { blockDigest } from "./voteDigest";

export interface BlockTemplateInput {
  readonly proposer: Address;
  readonly round: number;
  readonly nowMs: number;
  readonly source: RegistryEventSource;
  /** Candidates from the mempool, already in nonce order per account. */
  readonly transactions: readonly Transaction[];
  /** Soft cap on imported events; a single L1 block's events are never split. */
  readonly maxEvents: number;
  /** The parent's commit certificate as node/consensus/headCommit.ts's `canonical` makes it; null at height 1. */
  readonly lastCommit: CommitCertificate | null;
  /** Pending equivocation evidence (the evidence pool's), oldest first; what is valid and fits goes in. */
  readonly evidence?: readonly Evidence[];
}

/**
 * What an honest proposer builds for height state.height + 1 (nonce 0; the miner finds the nonce).
 * It anchors to its follower's confirmed head, importing every event since the parent's anchor —
 * except on an epoch's last block, which imports nothing and carries the election instead.
 */
export function buildBlockTemplate(config: ChainConfig, state: ChainState, input: BlockTemplateInput) {
  const height = state.height + 1;
  const last = isLastOfEpoch(height, config.genesis.epochLength);
  const { anchor, events } = last ? { anchor: state.l1Anchor, events: [] } : chooseAnchor(config, state, input);
  const lastCommit = input.lastCommit;
  const evidence = includableEvidence(config, state, input.evidence ?? []);
  const room =
    config.genesis.maxBlockBytes -
    blockBytesWithoutTransactions(config.codec, {
      body: { events, evidence, transactions: [], electionResult: null, lastCommit },
    }) -
    (last ? MAX_ELECTION_RESULT_BYTES : 0);
  const transactions = acceptableTransactions(config, state, input.transactions, room);
  // The election counts this block's own heartbeats and commit, so it is made after they are chosen.
  const electionResult = last ? expectedElection(config, state, input.source, { transactions, lastCommit }) : null;
  const body: BlockBody = { events, evidence, transactions, electionResult, lastCommit };
  const header: BlockHeader = {
    chainId: config.genesis.chainId,
    height,
    epoch: epochOf(height, config.genesis.epochLength),
    round: input.round,
    parentHash: state.headHash,
    timestamp: Math.max(input.nowMs, state.headTimestamp + 1),
    proposer: input.proposer,
    l1AnchorNumber: anchor.number,
    l1AnchorHash: anchor.hash,
    eventsRoot: eventsRoot(config.codec, body),
    evidenceRoot: evidenceRoot(body.evidence),
    txRoot: txRoot(body.transactions),
    electionResultHash: electionResultHash(electionResult),
    lastCommitHash: commitCertificateHash(lastCommit),
    powTarget: state.powTarget,
    nonce: 0n,
  };
  return { header, body };
}

function chooseAnchor(
  config: ChainConfig,
  state: ChainState,
  input: BlockTemplateInput,
): { anchor: { number: number; hash: `0x${string}` }; events: RegistryEvent[] } {
  const head = input.source.confirmedHead();
  if (head.number <= state.l1Anchor.number) return { anchor: state.l1Anchor, events: [] };
  let events = [...input.source.eventsBetween(state.l1Anchor.number, head.number)];
  let anchorNumber = head.number;
  const overflow = firstOverflow(config, events, input.maxEvents);
  if (overflow < events.length) {
    // Stop before the L1 block that would overflow the cap, unless that is the first block.
    const overflowBlock = events[overflow].blockNumber;
    anchorNumber = Math.max(overflowBlock - 1, state.l1Anchor.number + 1, events[0].blockNumber);
    events = events.filter((e) => e.blockNumber <= anchorNumber);
  }
  const ref = input.source.blockRef(anchorNumber);
  if (ref === null) return { anchor: state.l1Anchor, events: [] };
  return { anchor: { number: ref.number, hash: ref.hash }, events };
}

/**
 * The index of the first event past the caps: `maxEvents`, or half the block's byte budget (the
 * other half is the transactions'), whichever comes first.
 */
function firstOverflow(config: ChainConfig, events: readonly RegistryEvent[], maxEvents: number): number {
  const maxEventBytes = Math.floor(config.genesis.maxBlockBytes / 2);
  let bytes = 0;
  for (let i = 0; i < events.length && i < maxEvents; i++) {
    bytes += 4 + config.codec.encodeEvent(events[i]).length;
    if (bytes > maxEventBytes) return i;
  }
  return Math.min(events.length, maxEvents);
}

/**
 * The longest prefix-per-account of valid, correctly-nonced transactions within the block caps
 * (count, and `roomBytes` of the byte budget). A sender whose next transaction does not fit is
 * skipped for the rest of the block, so its later nonces never leave a gap.
 */
function acceptableTransactions(
  config: ChainConfig,
  state: ChainState,
  candidates: readonly Transaction[],
  roomBytes: number,
): Transaction[] {
  const next = new Map<Address, bigint>();
  const skipped = new Set<Address>();
  const out: Transaction[] = [];
  let room = roomBytes;
  for (const tx of candidates) {
    if (out.length >= config.genesis.maxTransactionsPerBlock) break;
    const expected = next.get(tx.from) ?? state.accountNonces.get(tx.from) ?? 0n;
    if (skipped.has(tx.from) || tx.nonce !== expected) continue;
    const bytes = transactionBlockBytes(tx);
    if (bytes > room || transactionBytes(tx) > config.genesis.maxTransactionBytes) {
      skipped.add(tx.from);
      continue;
    }
    room -= bytes;
    next.set(tx.from, expected + 1n);
    out.push(tx);
  }
  return out;
}

/**
 * The pending evidence a block may carry: valid against the parent state, an offence not yet
 * committed, one per offence, at most MAX_EVIDENCE_PER_BLOCK (a few hundred bytes each, so the
 * byte budget is not at stake: the transactions get what is left).
 */
function includableEvidence(config: ChainConfig, state: ChainState, pending: readonly Evidence[]): Evidence[] {
  const out: Evidence[] = [];
  const offences = new Set<string>();
  for (const e of pending) {
    if (out.length >= MAX_EVIDENCE_PER_BLOCK) break;
    const offence = offenceOf(state, e);
    if (offences.has(offence) || isOffenceCommitted(state, e)) continue;
    try {
      verifyEvidence(config, state, e);
    } catch {
      continue; // expired since it was pooled; the pool drops it at the next prune
    }
    offences.add(offence);
    out.push(e);
  }
  return out;
}

/** Seals a mined header: the proposer's signature over its hash (domain BLOCK). */
export function sealBlock(config: ChainConfig, header: BlockHeader, body: BlockBody, key: KeyPair): Block {
  return {
    header,
    body,
    proposerSignature: signDigest(blockDigest(config.genesis.chainId, headerHash(header)), key.privateKey),
  };
}
