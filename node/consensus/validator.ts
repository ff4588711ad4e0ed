import { verifyCertificate } from "../chain/certificate";
import { applyFinalizedBlock, representativeAddresses, type ChainConfig, type ChainState } from "../chain/chainState";
import { ZERO_HASH } from "../chain/bytes";
import { proposerFor } from "../chain/epochs";
import { ChainError } from "../chain/errors";
import type { RegistryEventSource } from "../chain/registryPorts";
import { headerHash } from "../chain/headerCodec";
import type { Mempool } from "../chain/mempool";
import { blockBytes } from "../chain/budgets";
import { buildBlockTemplate } from "../chain/produceBlock";
import type { Block, BlockBody, BlockHeader, CommitCertificate, FinalizedBlock } from "../chain/types";
import { parentSet } from "../chain/lastCommit";
import { HeadCommit, type LatePrecommit } from "./headCommit";
import { heartbeatPayload } from "../chain/heartbeat";
import type { Transaction } from "../chain/transaction";
import { verifyBlock } from "../chain/verifyBlock";
import { blockDigest, proposalDigest, voteDigest } from "../chain/voteDigest";
import type { KeyPair } from "../chain/signing";
import type { Address, Hex } from "../types/primitives";
import type { CommitMessage, ConsensusMessage, ProposalMessage, VerifiedProposal, VoteMessage } from "./messages";
import { screenMessage } from "./messageScreen";
import { SignGuard, SignStateWriteError } from "./signGuard";
import { SignStep, type SignState } from "./signState";
import { evidenceOf, signedBlockHash, type Evidence } from "../chain/evidence";
import type { EvidencePool } from "../chain/evidencePool";
import { conflictingVote } from "./testEquivocation";
import { Tendermint, type ConsensusFaults, type Step, type TendermintOutput, type TimeoutConfig } from "./tendermint";

/** What the core asks its driver (node process or simulator) to do. */
export type Effect =
  | { readonly type: "broadcast"; readonly message: ConsensusMessage }
  | {
      readonly type: "timer";
      readonly step: Step;
      readonly height: number;
      readonly round: number;
      readonly delayMs: number;
    }
  /** Call onTick after delayMs (the gossip heartbeat). */
  | { readonly type: "tick"; readonly delayMs: number }
  /** Find a nonce for `header` (cancel any earlier job), then call onMined. */
  | {
      readonly type: "mine";
      readonly height: number;
      readonly round: number;
      readonly header: BlockHeader;
      readonly body: BlockBody;
    }
  /** The round moved on: abandon the mining job of (height, round). */
  | { readonly type: "cancelMining"; readonly height: number; readonly round: number }
  /** Persist this block; the core already applied it. */
  | { readonly type: "finalized"; readonly finalized: FinalizedBlock }
  /** IGNORE: useless but not malicious. REJECT: provably bad, penalise the peer. */
  | { readonly type: "invalid"; readonly verdict: "ignore" | "reject"; readonly from: string; readonly reason: string }
  | { readonly type: "equivocation"; readonly first: VoteMessage; readonly second: VoteMessage }
  /** This candidate's heartbeat (liveness.ts): into the mempool and out to the peers (again, if it was already). */
  | { readonly type: "heartbeat"; readonly tx: Transaction }
  /** New evidence this node found (verified and pooled): publish it on the evidence topic. */
  | { readonly type: "evidence"; readonly evidence: Evidence };

export interface ValidatorDeps {
  readonly config: ChainConfig;
  readonly state: ChainState;
  readonly source: RegistryEventSource;
  /** Null for a node without a key (verifies and stores only). */
  readonly guard: SignGuard | null;
  readonly timeouts: TimeoutConfig;
  /** Client transactions to include (the driver fills it); none if absent. */
  readonly mempool?: Mempool;
  /** Equivocation evidence to include (this core and the driver fill it); none kept if absent. */
  readonly evidencePool?: EvidencePool;
  readonly maxEventsPerBlock?: number;
  /** Most transactions this node puts in its own blocks (the node config's proposerMaxTransactions);
   *  the genesis's maxTransactionsPerBlock bounds it. */
  readonly proposerMaxTransactions?: number;
  /** Deliberate bugs for simulator tests; never set in a node. */
  readonly faults?: ConsensusFaults;
  /** The certificate stored with the head block (after a restart): the next proposal's lastCommit. */
  readonly headCertificate?: CommitCertificate | null;
  /**
   * TEST ONLY (REPCHAIN_TEST_EQUIVOCATE=1, testEquivocation.ts): the guard's own key, with which
   * every vote this node signs is followed by a conflicting one. Absent on every honest node.
   */
  readonly testEquivocateWith?: KeyPair;
}

/** Messages for the next height kept until this node gets there (a peer decided first). */
export const MAX_BUFFERED_NEXT_HEIGHT = 256;
/** ... and the bytes of their blocks, in maximum-size blocks. */
const MAX_BUFFERED_NEXT_HEIGHT_BLOCKS = 4;
/** Own messages of the current height kept for rebroadcast on timeouts (lost messages before GST). */
const MAX_OWN_MESSAGES = 8;
const MAX_EFFECT_STEPS = 1000;
/** Mining restarts per height for late precommits: each rebuilds the block template. */
const MAX_REMINES_PER_HEIGHT = 4;

/**
 * One validator's consensus core: verifies incoming messages, feeds the Tendermint machine,
 * turns its outputs into signed messages through the SignGuard, applies decisions to the chain
 * state and starts the next height. Deterministic: time comes in as `nowMs`, the network and the
 * miner go out as effects.
 */
export class ValidatorCore {
  readonly machine: Tendermint;
  private nowMs = 0;
  private nextHeightBuffer: { message: ConsensusMessage; from: string }[] = [];
  private nextHeightBufferBytes = 0;
  private ownMessages: ConsensusMessage[] = [];
  /** Others' votes this node relays with its current re-proposal (the polka that justifies it). */
  private relay: VoteMessage[] = [];
  /** The (height, round) of the mining job out with the driver, if any. */
  private miningFor: { height: number; round: number } | null = null;
  /** This node's last heartbeat, resent until a block holds it. */
  private heartbeat: Transaction | null = null;
  /** The head block's certificate as decided or imported, with the late precommits since. */
  private head: HeadCommit | null;
  /** Mining restarts at this height for late precommits (remineWithFullerLastCommit). */
  private reminesThisHeight = 0;

  constructor(readonly deps: ValidatorDeps) {
    this.machine = new Tendermint(deps.guard?.address ?? null, deps.timeouts, deps.faults ?? {});
    this.head = deps.headCertificate ? this.headCommitOf(deps.headCertificate) : null;
  }

  get state(): ChainState {
    return this.deps.state;
  }

  start(nowMs: number): Effect[] {
    this.nowMs = nowMs;
    return this.settle([...this.startNextHeight(), { type: "tick", delayMs: this.tickMs() }]);
  }

  /**
   * Ends every input: if a mining job is out for a (height, round) the machine has left, tells the
   * driver to abandon it — the PoW of a stale round is wasted work (and CPU taken from voting).
   */
  private settle(effects: Effect[]): Effect[] {
    const job = this.miningFor;
    if (
      job !== null &&
      (this.machine.decided || job.height !== this.machine.height || job.round !== this.machine.round)
    ) {
      this.miningFor = null;
      effects.push({ type: "cancelMining", height: job.height, round: job.round });
    }
    return effects;
  }

  /**
   * The gossip heartbeat. Tendermint assumes every message is eventually delivered; over a lossy
   * network that takes resending. Each tick resends this node's own messages of the current height,
   * then schedules the next tick. (A node that is behind catches up through node/sync, not here.)
   */
  onTick(nowMs: number): Effect[] {
    return [...this.resendOwnMessages(nowMs), { type: "tick", delayMs: this.tickMs() }];
  }

  /**
   * This node's own messages of the current height (and the polka it relays), sent again: by each
   * tick, and when a peer connects (it has missed them all, and the next tick may be a propose
   * timeout away).
   */
  resendOwnMessages(nowMs: number): Effect[] {
    this.nowMs = nowMs;
    return [...this.relay, ...this.ownMessages].map((message) => ({ type: "broadcast", message }) as Effect);
  }

  private tickMs(): number {
    return this.deps.timeouts.proposeMs;
  }

  /**
   * The checks a message passes before anything is done for it (messageScreen.ts): the driver calls
   * this before it fetches the L1 headers a message names; onMessage calls it first.
   */
  screen(message: ConsensusMessage, from: string): Effect | null {
    let refusal;
    try {
      refusal = screenMessage(this.deps.config, this.state, this.machine.height, message);
    } catch (err) {
      refusal = { verdict: "reject" as const, reason: `malformed ${message?.type}: ${(err as Error).message}` };
    }
    return refusal === null ? null : { type: "invalid", verdict: refusal.verdict, from, reason: refusal.reason };
  }

  onMessage(message: ConsensusMessage, from: string, nowMs: number): Effect[] {
    const refused = this.screen(message, from);
    if (refused !== null) return [...this.onRefused(message, from, nowMs), refused];
    this.nowMs = nowMs;
    const effects: Effect[] = [];
    try {
      this.route(message, from, effects);
    } catch (err) {
      if (err instanceof SignStateWriteError) throw err; // fatal: the node must stop
      // Messages should arrive schema-checked (wire.ts); whatever still slips through and breaks
      // an encoder is the sender's fault, and must not take the node down.
      effects.push({
        type: "invalid",
        verdict: "reject",
        from,
        reason: `malformed ${message?.type}: ${(err as Error).message}`,
      });
    }
    return this.settle(effects);
  }

  private route(message: ConsensusMessage, from: string, effects: Effect[]): void {
    switch (message.type) {
      case "proposal":
        this.handleProposal(message, from, effects);
        break;
      case "vote":
        this.handleVote(message, from, effects);
        break;
      case "commit":
        this.handleCommit(message, from, effects);
        break;
    }
  }

  /**
   * A message `screen` refused (the driver screens before it looks up L1, and calls this then): a
   * precommit for the head block is stale for consensus but still joins the head's certificate.
   */
  onRefused(message: ConsensusMessage, from: string, nowMs: number): Effect[] {
    this.nowMs = nowMs;
    const effects: Effect[] = [];
    const late = this.collectLatePrecommit(message);
    if (late === "added") this.remineWithFullerLastCommit(effects);
    // Stale messages are IGNOREd unpenalised: one that names a member and carries another's (or no)
    // signature cost a recovery, and is REJECTed, as a forged current vote is.
    if (late === "forged")
      effects.push({ type: "invalid", verdict: "reject", from, reason: "bad late precommit signature" });
    return this.settle(effects);
  }

  /** A consensus timer fired. */
  onTimer(step: Step, height: number, round: number, nowMs: number): Effect[] {
    this.nowMs = nowMs;
    const effects: Effect[] = [];
    this.process(this.machine.onTimeout(step, height, round), effects);
    return this.settle(effects);
  }

  /** The miner found `header.nonce` for the job of (height, round). */
  onMined(height: number, round: number, header: BlockHeader, body: BlockBody, nowMs: number): Effect[] {
    this.nowMs = nowMs;
    const effects: Effect[] = [];
    if (this.miningFor?.height === height && this.miningFor.round === round) this.miningFor = null;
    const unsealed: Block = { header, body, proposerSignature: "0x" };
    this.process(this.machine.onBlockMined(height, round, unsealed), effects);
    return this.settle(effects);
  }

  private currentSet(): Address[] {
    return representativeAddresses(this.state);
  }

  /** Screened already (screen): its signature is the round proposer's. */
  private handleProposal(p: ProposalMessage, from: string, effects: Effect[]): void {
    if (this.bufferIfNextHeight(p, p.height, from)) return;
    const verified: VerifiedProposal = { ...p, blockHash: headerHash(p.block.header) };
    this.process(this.machine.onProposal(verified), effects);
  }

  /** Screened already (screen): a member's valid signature. */
  private handleVote(v: VoteMessage, from: string, effects: Effect[]): void {
    if (this.bufferIfNextHeight(v, v.height, from)) return;
    this.process(this.machine.onVote(v), effects);
  }

  /** A finalized block for the next height (from a faster peer or a sync reply): verify and apply. */
  private handleCommit(c: CommitMessage, from: string, effects: Effect[]): void {
    const { block, certificate } = c.finalized;
    if (block.header.height !== this.state.height + 1) return;
    try {
      verifyBlock(this.deps.config, this.state, block, { source: this.deps.source, nowMs: null });
      verifyCertificate(
        this.deps.config.genesis.chainId,
        certificate,
        block.header.height,
        headerHash(block.header),
        this.currentSet(),
      );
    } catch (err) {
      // Our L1 view may lag the anchor: that is not the peer's fault.
      const verdict = err instanceof ChainError && err.type.code.includes("ANCHOR_NOT_CONFIRMED") ? "ignore" : "reject";
      effects.push({ type: "invalid", verdict, from, reason: (err as Error).message });
      return;
    }
    this.finalize(c.finalized, effects);
  }

  /**
   * A precommit for the head block that arrived after this node decided it (stale for consensus,
   * so screened out) still goes into the head's certificate (HeadCommit): the next block this node
   * proposes carries it as lastCommit, and the downtime rule counts from those.
   */
  private collectLatePrecommit(message: ConsensusMessage): LatePrecommit {
    return this.headCommit()?.offer(message) ?? "not taken";
  }

  /** The head's certificate with its signers, or null if this node lacks the head's certificate. */
  private headCommit(): HeadCommit | null {
    const c = this.head?.certificate;
    return c !== undefined && c.height === this.state.height && c.blockHash === this.state.headHash ? this.head : null;
  }

  /** `certificate` of the head block, counted against the head's set. */
  private headCommitOf(certificate: CommitCertificate): HeadCommit | null {
    if (this.state.height === 0) return null;
    const members = parentSet(this.deps.config, this.state, this.state.height + 1);
    return new HeadCommit(this.deps.config.genesis.chainId, certificate, members);
  }

  /**
   * A late precommit joined the head's certificate while this node is still mining its proposal:
   * mine again, with the fuller lastCommit. Otherwise a representative whose precommits are slow
   * but in time for the next block's PoW would count as down (the downtime rule reads lastCommits).
   * PoW is memoryless — every hash is an independent trial — so starting the search over costs no
   * expected time.
   */
  private remineWithFullerLastCommit(effects: Effect[]): void {
    const job = this.miningFor;
    const m = this.machine;
    if (job === null || m.decided || job.height !== m.height || job.round !== m.round || m.step !== "propose") return;
    // Each restart rebuilds the block template (transactions, events, roots): bounded per height,
    // however many members' precommits come late in a large set; each takes all gathered so far.
    if (this.reminesThisHeight >= MAX_REMINES_PER_HEIGHT) return;
    this.reminesThisHeight++;
    this.requestMining(job.height, job.round, effects);
  }

  /**
   * A candidate that is not a representative shows it is alive with a heartbeat transaction in every
   * epoch (a representative's precommits in the lastCommits do it for it): from the first block of
   * the epoch this node sees, until a block of the epoch holds something it signed; not while it
   * applies blocks older than an epoch's worth of block time (catching up).
   */
  private heartbeatIfDue(effects: Effect[]): void {
    const guard = this.deps.guard;
    if (guard === null || this.deps.mempool === undefined) return;
    const key = guard.address;
    const state = this.state;
    // A node catching up on old blocks knows neither its nonce nor whether it is due: it waits.
    const epochMs = this.deps.config.genesis.epochLength * this.deps.config.genesis.targetBlockTimeMs;
    if (this.nowMs - state.headTimestamp > epochMs) return;
    const due =
      !state.liveness.active.has(key) &&
      !representativeAddresses(state).includes(key) &&
      state.governance.isActiveCandidate(key);
    if (!due) {
      this.heartbeat = null;
      return;
    }
    const nonce = state.accountNonces.get(key) ?? 0n;
    if (this.heartbeat === null || this.heartbeat.nonce !== nonce) {
      this.heartbeat = guard.signTransaction(
        this.deps.config.genesis.chainId,
        nonce,
        heartbeatPayload(state.liveness.epoch),
      );
    }
    effects.push({ type: "heartbeat", tx: this.heartbeat });
  }

  /** Keeps a (screened) message of the next height, within the buffer's count and byte bounds. */
  private bufferIfNextHeight(message: ProposalMessage | VoteMessage, height: number, from: string): boolean {
    if (height !== this.machine.height + 1) return false;
    const bytes = message.type === "proposal" ? blockBytes(this.deps.config.codec, message.block) : 0;
    const maxBytes = MAX_BUFFERED_NEXT_HEIGHT_BLOCKS * this.deps.config.genesis.maxBlockBytes;
    if (this.nextHeightBuffer.length < MAX_BUFFERED_NEXT_HEIGHT && this.nextHeightBufferBytes + bytes <= maxBytes) {
      this.nextHeightBuffer.push({ message, from });
      this.nextHeightBufferBytes += bytes;
    }
    return true;
  }

  private finalize(finalized: FinalizedBlock, effects: Effect[]): void {
    applyFinalizedBlock(this.deps.config, this.state, finalized.block);
    this.head = this.headCommitOf(finalized.certificate);
    this.deps.mempool?.recheck(this.state.accountNonces, this.nowMs);
    this.deps.evidencePool?.prune(this.state);
    effects.push({ type: "finalized", finalized });
    this.heartbeatIfDue(effects);
    effects.push({ type: "broadcast", message: { type: "commit", finalized } });
    effects.push(...this.startNextHeight());
  }

  private startNextHeight(): Effect[] {
    const height = this.state.height + 1;
    this.reminesThisHeight = 0;
    const set = this.currentSet();
    const last = this.deps.guard?.lastSigned() ?? null;
    const resuming = last !== null && last.height === height;
    // After a restart, resume at the round last signed in (earlier steps are spent), with the lock.
    const resume = resuming ? { round: last.round, lock: last.lock } : { round: 0, lock: null };
    this.ownMessages = [];
    this.relay = [];
    const effects: Effect[] = [];
    const outputs = this.machine.startHeight(
      {
        height,
        validators: set,
        proposer: (r) => proposerFor(set, height, r),
        isValid: (block) => this.isValid(block),
      },
      resume,
    );
    this.process(outputs, effects);
    if (resuming && last.vote !== null) this.replayOwnVote(height, last.round, last.vote, last.signatures[0], effects);
    const buffered = this.nextHeightBuffer;
    this.nextHeightBuffer = [];
    this.nextHeightBufferBytes = 0;
    for (const { message, from } of buffered) effects.push(...this.onMessage(message, from, this.nowMs));
    return effects;
  }

  /** The vote signed just before a crash: counted again and resent, exactly as it was signed. */
  private replayOwnVote(
    height: number,
    round: number,
    vote: NonNullable<SignState["vote"]>,
    signature: Hex,
    effects: Effect[],
  ): void {
    const message: VoteMessage = {
      type: "vote",
      kind: vote.kind,
      height,
      round,
      blockHash: vote.blockHash,
      validator: this.deps.guard!.address,
      signature,
    };
    this.remember(message, effects);
    this.process(this.machine.onVote(message), effects);
  }

  private isValid(block: Block): boolean {
    try {
      verifyBlock(this.deps.config, this.state, block, { source: this.deps.source, nowMs: this.nowMs });
      return true;
    } catch {
      return false;
    }
  }

  /** Turns machine outputs into effects; outputs that produce own messages loop back (bounded). */
  private process(initial: TendermintOutput[], effects: Effect[]): void {
    const queue = [...initial];
    for (let steps = 0; queue.length > 0 && steps < MAX_EFFECT_STEPS; steps++) {
      const out = queue.shift()!;
      switch (out.type) {
        case "timeout":
          effects.push({ type: "timer", step: out.step, height: out.height, round: out.round, delayMs: out.delayMs });
          break;
        case "mine":
          this.requestMining(out.height, out.round, effects);
          break;
        case "propose":
          queue.push(...this.signAndSendProposal(out, effects));
          break;
        case "vote":
          queue.push(...this.signAndSendVote(out, effects));
          break;
        case "equivocation":
          effects.push(out);
          this.admitOwnEvidence(voteEvidence(out.first, out.second), effects);
          break;
        case "proposalEquivocation":
          this.admitOwnEvidence(this.proposalEvidence(out.first, out.second), effects);
          break;
        case "decide":
          this.decide(out, effects);
          return;
      }
    }
  }

  /** Evidence this node saw happen: pooled for its own blocks and published, if new. */
  private admitOwnEvidence(evidence: Evidence, effects: Effect[]): void {
    const admission = this.deps.evidencePool?.add(this.state, evidence);
    if (admission?.verdict === "accept") effects.push({ type: "evidence", evidence });
  }

  private proposalEvidence(first: VerifiedProposal, second: VerifiedProposal): Evidence {
    const half = (p: VerifiedProposal) => ({
      blockHash: p.blockHash,
      validRound: p.validRound,
      signature: p.signature,
    });
    const proposer = proposerFor(this.currentSet(), first.height, first.round);
    return evidenceOf("proposal", proposer, first.height, first.round, half(first), half(second));
  }

  private requestMining(height: number, round: number, effects: Effect[]): void {
    const guard = this.deps.guard;
    if (guard === null) return;
    const lastCommit = this.nextLastCommit();
    // Without the parent's certificate no valid block can be built: let the round time out.
    if (lastCommit === undefined) return;
    const { header, body } = buildBlockTemplate(this.deps.config, this.state, {
      proposer: guard.address,
      round,
      nowMs: this.nowMs,
      source: this.deps.source,
      transactions:
        this.deps.mempool?.pending(
          this.state.accountNonces,
          Math.min(this.deps.proposerMaxTransactions ?? Infinity, this.deps.config.genesis.maxTransactionsPerBlock),
          this.deps.config.genesis.maxBlockBytes,
        ) ?? [],
      maxEvents: this.deps.maxEventsPerBlock ?? 1000,
      lastCommit,
      evidence: this.deps.evidencePool?.pending() ?? [],
    });
    this.miningFor = { height, round };
    effects.push({ type: "mine", height, round, header, body });
  }

  /** The lastCommit of the next block: none at height 1; undefined if this node lacks the head's certificate. */
  nextLastCommit(): CommitCertificate | null | undefined {
    if (this.state.height === 0) return null;
    return this.headCommit()?.canonical();
  }

  private signAndSendProposal(
    out: Extract<TendermintOutput, { type: "propose" }>,
    effects: Effect[],
  ): TendermintOutput[] {
    const guard = this.deps.guard!;
    const chainId = this.deps.config.genesis.chainId;
    const hash = headerHash(out.block.header);
    const fresh = out.validRound === -1;
    const digests = [proposalDigest(chainId, out.height, out.round, out.validRound, hash)];
    if (fresh) digests.push(blockDigest(chainId, hash));
    const signatures = guard.sign(out.height, out.round, SignStep.PROPOSE, digests);
    if (signatures === null) return [];
    const block = fresh ? { ...out.block, proposerSignature: signatures[1] } : out.block;
    // Validators that missed the polka of validRound could not accept the re-proposal: relay it.
    this.relay = [...out.polka];
    for (const vote of out.polka) effects.push({ type: "broadcast", message: vote });
    const message: ProposalMessage = {
      type: "proposal",
      height: out.height,
      round: out.round,
      validRound: out.validRound,
      block,
      signature: signatures[0],
    };
    this.remember(message, effects);
    return this.machine.onProposal({ ...message, blockHash: hash });
  }

  private signAndSendVote(out: Extract<TendermintOutput, { type: "vote" }>, effects: Effect[]): TendermintOutput[] {
    const guard = this.deps.guard!;
    const digest = voteDigest(
      out.kind,
      this.deps.config.genesis.chainId,
      out.height,
      out.round,
      out.blockHash ?? ZERO_HASH,
    );
    const step = out.kind === "prevote" ? SignStep.PREVOTE : SignStep.PRECOMMIT;
    const vote = { kind: out.kind, blockHash: out.blockHash };
    const signatures = guard.sign(out.height, out.round, step, [digest], vote, out.lock ?? null);
    if (signatures === null) return [];
    const message: VoteMessage = {
      type: "vote",
      kind: out.kind,
      height: out.height,
      round: out.round,
      blockHash: out.blockHash,
      validator: guard.address,
      signature: signatures[0],
    };
    this.remember(message, effects);
    const byzantine = this.deps.testEquivocateWith;
    // TEST ONLY: the second vote is sent and resent, but never counted by this node itself.
    if (byzantine !== undefined)
      this.remember(conflictingVote(this.deps.config.genesis.chainId, byzantine, message), effects);
    return this.machine.onVote(message);
  }

  private remember(message: ConsensusMessage, effects: Effect[]): void {
    effects.push({ type: "broadcast", message });
    this.ownMessages.push(message);
    if (this.ownMessages.length > MAX_OWN_MESSAGES) this.ownMessages.shift();
  }

  private decide(out: Extract<TendermintOutput, { type: "decide" }>, effects: Effect[]): void {
    const certificate = {
      height: out.height,
      round: out.round,
      blockHash: headerHash(out.block.header),
      signatures: out.precommits.map((v) => v.signature),
    };
    this.finalize({ block: out.block, certificate }, effects);
  }
}

/** Two votes of one validator at one (height, round, kind) for different blocks, as evidence. */
function voteEvidence(first: VoteMessage, second: VoteMessage): Evidence {
  const half = (v: VoteMessage) => ({
    blockHash: signedBlockHash(v.blockHash),
    validRound: -1,
    signature: v.signature,
  });
  return evidenceOf(first.kind, first.validator, first.height, first.round, half(first), half(second));
}
