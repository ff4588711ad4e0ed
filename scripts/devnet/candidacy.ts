import type { Provider, Signer } from "ethers";
import { applyForCandidacy, readRegistryContext, type RegistryContext } from "../../node/auditor/client/apply";
import type { DevicePerformance } from "../../node/qualification/benchmark";
import type { Deployment } from "../../node/types/deployment";
import type { Address } from "../../node/types/primitives";

/** One devnet node's two keys: the node key (the candidate address) and the account that pays. */
export interface NodeIdentity {
  readonly name: string;
  readonly candidate: Signer & { readonly address: string };
  readonly operator: Signer & { readonly address: string };
}

/**
 * Becomes a candidate the way a real node does (patent S201–S205): the apply client signs the
 * application with the node key, sends it to every auditor, gathers ≥ M credentials and calls
 * registerCandidate with the deposit from the operator account.
 */
export class Candidacy {
  private constructor(
    private readonly context: RegistryContext,
    private readonly auditorUrls: readonly string[],
    private readonly performance: DevicePerformance,
    private readonly deposit: bigint,
  ) {}

  static async open(
    provider: Provider,
    deployment: Deployment,
    auditorUrls: readonly string[],
    performance: DevicePerformance,
    deposit: bigint,
  ): Promise<Candidacy> {
    const context = await readRegistryContext(provider, {
      candidateRegistry: deployment.candidateRegistry.toLowerCase() as Address,
      auditorRegistry: deployment.auditorRegistry.toLowerCase() as Address,
    });
    return new Candidacy(context, auditorUrls, performance, deposit);
  }

  /** Applies and registers; returns the registerCandidate transaction hash. */
  async register(node: NodeIdentity, nowSeconds: () => bigint): Promise<string> {
    const result = await applyForCandidacy({
      candidate: node.candidate,
      operator: node.operator,
      chain: this.context.chain,
      domain: this.context.domain,
      credentialDomain: this.context.credentialDomain,
      auditorUrls: this.auditorUrls,
      performance: this.performance,
      deposit: this.deposit,
      creditValue: 100n,
      register: true,
      requestTimeoutMs: 5_000,
      waitTimeoutMs: 20_000,
      pollIntervalMs: 200,
      nowSeconds,
    });
    if (!result.registrationTx) {
      const answers = result.bundle.auditors.map((a) => `${a.url}: ${a.answer}${a.reason ? ` (${a.reason})` : ""}`);
      throw new Error(`${node.name} was not registered: ${answers.join("; ")}`);
    }
    return result.registrationTx;
  }
}
