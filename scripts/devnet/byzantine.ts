import type { Provider } from "ethers";
import { CandidateRegistry__factory } from "../../typechain-types";
import type { Deployment } from "../../node/types/deployment";
import type { NodeRpcClient } from "../../node/rpc/nodeRpcClient";
import type { EvidenceReport } from "../../node/rpc/nodeView";

/** What `--byzantine <node>` showed happen to the node started with the equivocation switch. */
export interface ByzantineOutcome {
  readonly node: string;
  /** Evidence of its equivocation is in a finalized block. */
  evidence: boolean;
  /** The CandidateRegistry on L1 emitted CandidateSlashed for it. */
  slashed: boolean;
  /** An election removed it from the representative set. */
  removed: boolean;
}

export interface ByzantineWatchSetup {
  readonly node: { readonly name: string; readonly address: string };
  readonly deployment: Deployment;
  readonly provider: Provider;
  /** The node whose finalized blocks and elections are read. */
  readonly watch: NodeRpcClient;
  readonly say: (line: string) => void;
}

/**
 * Follows the consequences of one node's equivocation, each told once as it happens: its evidence
 * in a finalized block, the registry's CandidateSlashed event on L1, and the election that removes
 * it from the representative set.
 */
export class ByzantineWatch {
  readonly outcome: ByzantineOutcome;

  constructor(private readonly s: ByzantineWatchSetup) {
    this.outcome = { node: s.node.name, evidence: false, slashed: false, removed: false };
  }

  /** Reads what happened since the last call; a node or L1 that does not answer now is asked again next time. */
  async poll(): Promise<void> {
    await Promise.all(
      [this.readEvidence(), this.readSlash(), this.readElections()].map((p) => p.catch(() => undefined)),
    );
  }

  private async readEvidence(): Promise<void> {
    if (this.outcome.evidence) return;
    const report = await this.s.watch.call<EvidenceReport>("repchain_getEvidence");
    const found = report.committed.find((e) => e.signer === this.s.node.address);
    if (found === undefined) return;
    this.outcome.evidence = true;
    this.s.say(
      `evidence: ${this.s.node.name} (${this.s.node.address}) signed two ${found.kind}s at height ${found.height}` +
        ` round ${found.round}; finalized in block ${found.committedAt}`,
    );
  }

  private async readSlash(): Promise<void> {
    if (this.outcome.slashed) return;
    const registry = CandidateRegistry__factory.connect(this.s.deployment.candidateRegistry, this.s.provider);
    const [slash] = await registry.queryFilter(registry.filters.CandidateSlashed(this.s.node.address));
    if (slash === undefined) return;
    this.outcome.slashed = true;
    const { amount, submitter } = slash.args;
    this.s.say(
      `L1: CandidateRegistry slashed ${this.s.node.name}: CandidateSlashed(amount ${amount} wei, submitter ${submitter})` +
        ` in L1 block ${slash.blockNumber}`,
    );
  }

  private async readElections(): Promise<void> {
    if (this.outcome.removed) return;
    const elections = await this.s.watch.elections(100);
    const removal = elections.find((e) => e.removed.includes(this.s.node.address));
    if (removal === undefined) return;
    this.outcome.removed = true;
    this.s.say(`set change: ${this.s.node.name} removed from the representatives from epoch ${removal.epoch}`);
  }
}
