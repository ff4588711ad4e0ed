import { JsonRpcProvider, WebSocketProvider, type ContractTransactionResponse, type Wallet } from "ethers";
import { CandidateRegistry__factory } from "../../typechain-types/factories/contracts/CandidateRegistry__factory";
import { loadWallet } from "../auditor/service/keys";
import { ConfigError } from "../config/errors";
import type { RunConfig } from "../config/runSchema";
import type { Database } from "../store/database";
import { evidenceHash, isVoteEvidence, type Evidence } from "../chain/evidence";
import { registryErrorOf } from "../l1/registryErrors";
import type { Logger } from "../log";
import { EvidenceSubmissionRepository } from "../store/repositories/evidenceSubmission";
import type { Address, Hex } from "../types/primitives";

/** CandidateRegistry's step numbers of submitEquivocation (ICandidateRegistry.VoteStep). */
const STEPS = { prevote: 1, precommit: 2 } as const;
/** ICandidateRegistry.CandidateStatus.Slashed. */
const STATUS_SLASHED = 5n;

/** The part of CandidateRegistry (typechain, connected to the submitter's wallet) the submitter uses. */
export interface SlashingRegistry {
  getCandidate(candidate: string): Promise<{ status: bigint }>;
  submitEquivocation(
    candidate: string,
    step: number,
    height: number,
    round: number,
    blockHashA: string,
    signatureA: string,
    blockHashB: string,
    signatureB: string,
  ): Promise<ContractTransactionResponse>;
}

/** Committed evidence with the L1 candidate it is about (null: no candidate holds the key, L2 jail only). */
export interface CommittedEvidence {
  readonly evidence: Evidence;
  readonly candidate: Address | null;
}

/**
 * Submits each committed piece of vote evidence to CandidateRegistry.submitEquivocation, once per
 * node: the outcome is stored before the next piece is looked at, and a piece with a stored outcome
 * is never sent again (a restart replays every committed piece). One at a time, so the wallet's
 * nonces never race. Skipped when L1 already shows the candidate slashed (another node was first);
 * a registry revert (slashed meanwhile, not slashable, not its key) is final and recorded as the
 * outcome; anything else (L1 unreachable, out of gas money) is logged and retried with the next block.
 * Proposal evidence is not submitted: the contract only takes votes.
 */
export class EvidenceSubmitter {
  private readonly queue: CommittedEvidence[] = [];
  private readonly outcomes = new Map<Hex, string>();
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly registry: SlashingRegistry,
    private readonly store: EvidenceSubmissionRepository,
    private readonly log: Logger,
  ) {}

  /** What became of a piece on L1, as far as this node knows (for repchain_getEvidence). */
  outcome(hash: Hex): string | undefined {
    return this.outcomes.get(hash);
  }

  /** Queues committed evidence and starts working through the queue if idle. */
  add(pieces: readonly CommittedEvidence[]): void {
    for (const piece of pieces) if (isVoteEvidence(piece.evidence)) this.queue.push(piece);
    this.kick();
  }

  /** Retries what failed for a passing reason (called again with each applied block). */
  kick(): void {
    if (this.running !== null || this.stopped || this.queue.length === 0) return;
    this.running = this.drain().finally(() => (this.running = null));
  }

  /** Resolves once the queue is worked through or waits for a retry (tests, shutdown). */
  async settled(): Promise<void> {
    await this.running;
  }

  /** Pieces still waiting (a passing failure keeps them). */
  get waiting(): number {
    return this.queue.length;
  }

  /** Stops after the piece in flight; resolves when it is done. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.stopped) {
      const piece = this.queue[0];
      const done = await this.handle(piece);
      if (!done) return; // a passing failure: keep it first in line for the next kick
      this.queue.shift();
    }
  }

  /** True when the piece is finished with (an outcome is stored), false to retry later. */
  private async handle({ evidence, candidate }: CommittedEvidence): Promise<boolean> {
    const hash = evidenceHash(evidence);
    const stored = this.outcomes.get(hash) ?? (await this.store.outcome(hash));
    if (stored !== undefined) {
      this.outcomes.set(hash, stored);
      return true;
    }
    const context = { hash, signer: evidence.signer, candidate, height: evidence.height, kind: evidence.kind };
    if (candidate === null) return this.finish(hash, "no L1 candidate holds the key: jailed on L2 only", context);
    try {
      const { status } = await this.registry.getCandidate(candidate);
      if (status === STATUS_SLASHED) return this.finish(hash, "already slashed on L1", context);
      const tx = await this.submit(candidate, evidence);
      const receipt = await tx.wait();
      return this.finish(hash, `submitted in L1 transaction ${receipt?.hash ?? tx.hash}`, context);
    } catch (err) {
      const revert = registryErrorOf(err);
      if (revert !== undefined) return this.finish(hash, `not slashed, the registry refused: ${revert}`, context);
      this.log.warn({ ...context, err: (err as Error).message }, "evidence submission to L1 failed: retried later");
      return false;
    }
  }

  private submit(candidate: Address, e: Evidence): Promise<ContractTransactionResponse> {
    const step = STEPS[e.kind as keyof typeof STEPS];
    return this.registry.submitEquivocation(
      candidate,
      step,
      e.height,
      e.round,
      e.a.blockHash,
      e.a.signature,
      e.b.blockHash,
      e.b.signature,
    );
  }

  private async finish(hash: Hex, outcome: string, context: Record<string, unknown>): Promise<boolean> {
    await this.store.record(hash, outcome);
    this.outcomes.set(hash, outcome);
    this.log.warn({ ...context, outcome }, "equivocation evidence done with on L1");
    return true;
  }
}

/** The run config's evidenceSubmitter: where the submitting L1 account's key comes from. */
export type SubmitterKeySource = NonNullable<RunConfig["evidenceSubmitter"]>;

/**
 * The node's submitter, if its config names an L1 account: the wallet on its own provider (the
 * follower reads through another transport) and CandidateRegistry at the deployment's address.
 */
export async function openEvidenceSubmitter(
  source: SubmitterKeySource | undefined,
  rpcUrl: string,
  candidateRegistry: string,
  db: Database,
  log: Logger,
): Promise<{ submitter: EvidenceSubmitter; close(): Promise<void> } | null> {
  if (source === undefined) return null;
  let wallet: Wallet;
  try {
    wallet = await loadWallet(source);
  } catch (err) {
    throw new ConfigError("evidenceSubmitter", (err as Error).message);
  }
  const provider = /^wss?:/.test(rpcUrl)
    ? new WebSocketProvider(rpcUrl)
    : new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true });
  const registry = CandidateRegistry__factory.connect(candidateRegistry, wallet.connect(provider));
  const submitter = new EvidenceSubmitter(registry, new EvidenceSubmissionRepository(db), log);
  log.info({ account: wallet.address }, "submits committed vote evidence to CandidateRegistry.submitEquivocation");
  return {
    submitter,
    async close() {
      await submitter.stop();
      provider.destroy();
    },
  };
}
