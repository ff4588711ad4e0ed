import type { RegistryEvent } from "../registry/events";
import { electionResultHash } from "../election/representative";
import { eventsRoot, evidenceRoot, txRoot } from "./bodyRoots";
import { MAX_EVIDENCE_PER_BLOCK, verifyEvidence } from "./evidence";
import { isOffenceCommitted, offenceOf } from "./jail";
import { blockBytes, transactionBytes } from "./budgets";
import { equalBytes, ZERO_HASH } from "./bytes";
import { representativeAddresses, type ChainConfig, type ChainState } from "./chainState";
import { expectedElection } from "./epochElection";
import { epochOf, isLastOfEpoch, proposerFor } from "./epochs";
import { ChainError, ChainErrorCode } from "./errors";
import type { RegistryEventSource } from "./registryPorts";
import { headerHash } from "./headerCodec";
import { meetsTarget, powHash } from "./pow";
import { recoverSigner } from "./signing";
import { transactionFormError } from "./transaction";
import type { Block } from "./types";
import { blockDigest } from "./voteDigest";
import { verifyLastCommit } from "./lastCommit";

/** The outside world a verifier consults: its own L1 view and its own clock. */
export interface VerifyEnv {
  readonly source: RegistryEventSource;
  /** Unix ms; null skips the "not from the future" rule (blocks already certified, during sync). */
  readonly nowMs: number | null;
}

/**
 * What a valid block at height state.height + 1 is, whoever built it. Throws a ChainError naming
 * the first rule broken. The cheap structural rules run first, the signature and L1 checks last.
 */
export function verifyBlock(config: ChainConfig, state: ChainState, block: Block, env: VerifyEnv): void {
  verifyPosition(config, state, block);
  verifySize(config, block);
  verifyProofOfWork(state, block);
  verifyProposerSignature(config, block);
  verifyLastCommit(config, state, block);
  verifyTimestamp(config, state, block, env.nowMs);
  verifyTransactions(config, state, block);
  verifyBlockEvidence(config, state, block);
  verifyEvents(config, state, block, env.source);
  verifyElection(config, state, block, env.source);
}

function verifyPosition(config: ChainConfig, state: ChainState, block: Block): void {
  const h = block.header;
  const chainId = config.genesis.chainId;
  if (h.chainId !== chainId)
    throw new ChainError({ code: ChainErrorCode.WRONG_CHAIN_ID, expected: chainId, actual: h.chainId });
  if (h.height !== state.height + 1) {
    throw new ChainError({ code: ChainErrorCode.WRONG_HEIGHT, expected: state.height + 1, actual: h.height });
  }
  if (h.parentHash !== state.headHash) {
    throw new ChainError({ code: ChainErrorCode.WRONG_PARENT, expected: state.headHash, actual: h.parentHash });
  }
  const epoch = epochOf(h.height, config.genesis.epochLength);
  if (h.epoch !== epoch) throw new ChainError({ code: ChainErrorCode.WRONG_EPOCH, expected: epoch, actual: h.epoch });
  if (!Number.isSafeInteger(h.round) || h.round < 0)
    throw new ChainError({ code: ChainErrorCode.MALFORMED, reason: "round" });
  const proposer = proposerFor(representativeAddresses(state), h.height, h.round);
  if (h.proposer !== proposer)
    throw new ChainError({ code: ChainErrorCode.WRONG_PROPOSER, expected: proposer, actual: h.proposer });
}

/** The byte budget (genesis.maxBlockBytes): checked before any signature is, as it is the cheapest. */
function verifySize(config: ChainConfig, block: Block): void {
  const bytes = blockBytes(config.codec, block);
  const max = config.genesis.maxBlockBytes;
  if (bytes > max) throw new ChainError({ code: ChainErrorCode.BLOCK_TOO_LARGE, bytes, maxBlockBytes: max });
}

function verifyProofOfWork(state: ChainState, block: Block): void {
  const h = block.header;
  if (h.powTarget !== state.powTarget) {
    throw new ChainError({ code: ChainErrorCode.WRONG_POW_TARGET, expected: state.powTarget, actual: h.powTarget });
  }
  const hash = powHash(h);
  if (!meetsTarget(hash, h.powTarget))
    throw new ChainError({ code: ChainErrorCode.INSUFFICIENT_POW, hash, target: h.powTarget });
}

function verifyProposerSignature(config: ChainConfig, block: Block): void {
  const signer = recoverSigner(blockDigest(config.genesis.chainId, headerHash(block.header)), block.proposerSignature);
  if (signer !== block.header.proposer) {
    throw new ChainError({
      code: ChainErrorCode.BAD_SIGNATURE,
      what: "block",
      expected: block.header.proposer,
      actual: signer ?? undefined,
    });
  }
}

function verifyTimestamp(config: ChainConfig, state: ChainState, block: Block, nowMs: number | null): void {
  const t = block.header.timestamp;
  if (t <= state.headTimestamp) {
    throw new ChainError({ code: ChainErrorCode.TIMESTAMP_NOT_AFTER_PARENT, parent: state.headTimestamp, actual: t });
  }
  if (nowMs !== null && t > nowMs + config.maxFutureDriftMs) {
    throw new ChainError({ code: ChainErrorCode.TIMESTAMP_IN_FUTURE, now: nowMs, actual: t });
  }
}

function verifyTransactions(config: ChainConfig, state: ChainState, block: Block): void {
  const txs = block.body.transactions;
  const root = txRoot(txs);
  if (root !== block.header.txRoot)
    throw new ChainError({ code: ChainErrorCode.WRONG_TX_ROOT, expected: root, actual: block.header.txRoot });
  const maxCount = config.genesis.maxTransactionsPerBlock;
  if (txs.length > maxCount) {
    throw new ChainError({
      code: ChainErrorCode.BAD_TRANSACTION,
      index: maxCount,
      reason: `${txs.length} transactions > maxTransactionsPerBlock ${maxCount}`,
    });
  }
  const nextNonce = new Map<string, bigint>();
  const maxTxBytes = config.genesis.maxTransactionBytes;
  txs.forEach((tx, index) => {
    const bytes = transactionBytes(tx);
    if (bytes > maxTxBytes) {
      throw new ChainError({ code: ChainErrorCode.BAD_TRANSACTION, index, reason: `${bytes} bytes > ${maxTxBytes}` });
    }
    const formError = transactionFormError(config.genesis.chainId, tx);
    if (formError !== null) throw new ChainError({ code: ChainErrorCode.BAD_TRANSACTION, index, reason: formError });
    const expected = nextNonce.get(tx.from) ?? state.accountNonces.get(tx.from) ?? 0n;
    if (tx.nonce !== expected) {
      throw new ChainError({
        code: ChainErrorCode.BAD_TRANSACTION,
        index,
        reason: `nonce ${tx.nonce}, expected ${expected}`,
      });
    }
    nextNonce.set(tx.from, expected + 1n);
  });
}

/**
 * Each piece of evidence must verify against the parent state (verifyEvidence) and be an offence
 * neither committed before nor twice in this block: an offender is jailed once per offence, and a
 * proposer cannot pad blocks with copies.
 */
function verifyBlockEvidence(config: ChainConfig, state: ChainState, block: Block): void {
  const evidence = block.body.evidence;
  const root = evidenceRoot(evidence);
  if (root !== block.header.evidenceRoot) {
    throw new ChainError({
      code: ChainErrorCode.WRONG_EVIDENCE_ROOT,
      expected: root,
      actual: block.header.evidenceRoot,
    });
  }
  const refuse = (index: number, reason: string): never => {
    throw new ChainError({ code: ChainErrorCode.BAD_EVIDENCE, reason: `evidence ${index}: ${reason}` });
  };
  if (evidence.length > MAX_EVIDENCE_PER_BLOCK) {
    refuse(MAX_EVIDENCE_PER_BLOCK, `${evidence.length} pieces > MAX_EVIDENCE_PER_BLOCK ${MAX_EVIDENCE_PER_BLOCK}`);
  }
  const offences = new Set<string>();
  evidence.forEach((e, index) => {
    const offence = offenceOf(state, e);
    if (offences.has(offence)) refuse(index, `a second piece for offence ${offence} in this block`);
    if (isOffenceCommitted(state, e)) refuse(index, `offence ${offence} already committed`);
    offences.add(offence);
    try {
      verifyEvidence(config, state, e);
    } catch (err) {
      const bad = err instanceof ChainError && err.type.code === ChainErrorCode.BAD_EVIDENCE;
      refuse(index, bad ? err.type.reason : (err as Error).message);
    }
  });
}

/**
 * The imported events must be exactly what this node's own follower saw on L1 in
 * (parent anchor, anchor], in order, none missing — so a proposer can neither invent, drop nor
 * reorder a registration or a vote. The anchor never moves backwards, and an epoch's last block
 * does not move it at all (its election is over the state the chain already holds).
 */
function verifyEvents(config: ChainConfig, state: ChainState, block: Block, source: RegistryEventSource): void {
  const h = block.header;
  const root = eventsRoot(config.codec, block.body);
  if (root !== h.eventsRoot)
    throw new ChainError({ code: ChainErrorCode.WRONG_EVENTS_ROOT, expected: root, actual: h.eventsRoot });
  const parent = state.l1Anchor;
  const mustStay = isLastOfEpoch(h.height, config.genesis.epochLength);
  if (h.l1AnchorNumber < parent.number || (mustStay && h.l1AnchorNumber !== parent.number)) {
    throw new ChainError({
      code: ChainErrorCode.ANCHOR_MOVED_BACKWARDS,
      parent: parent.number,
      actual: h.l1AnchorNumber,
    });
  }
  if (h.l1AnchorNumber === parent.number) {
    if (h.l1AnchorHash !== parent.hash) {
      throw new ChainError({
        code: ChainErrorCode.ANCHOR_HASH_MISMATCH,
        anchor: parent.number,
        expected: parent.hash,
        actual: h.l1AnchorHash,
      });
    }
    if (block.body.events.length !== 0)
      throw new ChainError({ code: ChainErrorCode.EVENTS_MISMATCH, index: 0, reason: "events without a new anchor" });
    return;
  }
  const ref = source.blockRef(h.l1AnchorNumber);
  if (ref === null) {
    throw new ChainError({
      code: ChainErrorCode.ANCHOR_NOT_CONFIRMED,
      confirmedHead: source.confirmedHead().number,
      anchor: h.l1AnchorNumber,
    });
  }
  if (ref.hash !== h.l1AnchorHash) {
    throw new ChainError({
      code: ChainErrorCode.ANCHOR_HASH_MISMATCH,
      anchor: ref.number,
      expected: ref.hash,
      actual: h.l1AnchorHash,
    });
  }
  compareEvents(config, block.body.events, source.eventsBetween(parent.number, h.l1AnchorNumber));
}

function compareEvents(
  config: ChainConfig,
  actual: readonly RegistryEvent[],
  expected: readonly RegistryEvent[],
): void {
  const n = Math.max(actual.length, expected.length);
  for (let index = 0; index < n; index++) {
    if (index >= actual.length)
      throw new ChainError({ code: ChainErrorCode.EVENTS_MISMATCH, index, reason: "missing" });
    if (index >= expected.length)
      throw new ChainError({ code: ChainErrorCode.EVENTS_MISMATCH, index, reason: "not on L1" });
    if (!equalBytes(config.codec.encodeEvent(actual[index]), config.codec.encodeEvent(expected[index]))) {
      throw new ChainError({ code: ChainErrorCode.EVENTS_MISMATCH, index, reason: "differs from L1" });
    }
  }
}

function verifyElection(config: ChainConfig, state: ChainState, block: Block, source: RegistryEventSource): void {
  const h = block.header;
  if (!isLastOfEpoch(h.height, config.genesis.epochLength)) {
    if (block.body.electionResult !== null || h.electionResultHash !== ZERO_HASH) {
      throw new ChainError({ code: ChainErrorCode.UNEXPECTED_ELECTION_RESULT, height: h.height });
    }
    return;
  }
  const expected = electionResultHash(expectedElection(config, state, source, block.body));
  const carried = electionResultHash(block.body.electionResult);
  if (carried !== expected || h.electionResultHash !== expected) {
    throw new ChainError({ code: ChainErrorCode.WRONG_ELECTION_RESULT, expected, actual: carried });
  }
}
