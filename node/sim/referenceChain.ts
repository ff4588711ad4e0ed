import { verifyCertificate } from "../chain/certificate";
import { applyFinalizedBlock, createChainState, representativeAddresses, type ChainConfig } from "../chain/chainState";
import { headerHash } from "../chain/headerCodec";
import type { RegistryEventSource } from "../chain/registryPorts";
import { RegistryMirror } from "../chain/registryView";
import type { FinalizedBlock } from "../chain/types";
import { verifyBlock } from "../chain/verifyBlock";
import type { Address } from "../types/primitives";
import { InvariantViolation } from "./invariants";

/**
 * Validity, checked apart from every node: each height, the first time any node finalizes it, is
 * verified against a chain state of its own, built from the canonical L1 (no lag) and the finalized
 * blocks only: a block over the byte budgets, a forged transaction, a wrong anchor or election, or
 * a certificate without a quorum of the set is a violation, whatever the nodes thought of it.
 */
export class ReferenceChain {
  private readonly state;
  /** The L1 anchors of the finalized blocks, to check again at the end (a later reorg must not undo them). */
  private readonly anchors: { height: number; number: number; hash: `0x${string}` }[] = [];
  /** The signing keys that finalized equivocation evidence names. */
  readonly convicted = new Set<Address>();
  /** Pieces of evidence in finalized blocks. */
  evidence = 0;

  constructor(
    private readonly config: ChainConfig,
    private readonly l1: RegistryEventSource,
  ) {
    this.state = createChainState(config, new RegistryMirror());
  }

  /** The next height, the first time it is finalized anywhere. */
  extend(node: number, finalized: FinalizedBlock): void {
    const { block, certificate } = finalized;
    try {
      verifyBlock(this.config, this.state, block, { source: this.l1, nowMs: null });
      const set = representativeAddresses(this.state);
      verifyCertificate(this.config.genesis.chainId, certificate, block.header.height, headerHash(block.header), set);
    } catch (err) {
      throw new InvariantViolation(
        "validity",
        `node ${node} finalized an invalid block at height ${block.header.height}: ${(err as Error).message}`,
      );
    }
    applyFinalizedBlock(this.config, this.state, block);
    for (const e of block.body.evidence) this.convicted.add(e.signer);
    this.evidence += block.body.evidence.length;
    this.anchors.push({
      height: block.header.height,
      number: block.header.l1AnchorNumber,
      hash: block.header.l1AnchorHash,
    });
  }

  /** Every finalized block's L1 anchor is still canonical. */
  checkAnchors(isCanonical: (number: number, hash: `0x${string}`) => boolean): void {
    for (const a of this.anchors) {
      if (!isCanonical(a.number, a.hash))
        throw new InvariantViolation(
          "l1-anchor",
          `height ${a.height} anchors L1 block ${a.number} ${a.hash}, reorged away`,
        );
    }
  }
}
