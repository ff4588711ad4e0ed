import { headerHash } from "../chain/headerCodec";
import { recoverSigner } from "../chain/signing";
import { proposalDigest } from "../chain/voteDigest";
import type { Address, Hex } from "../types/primitives";
import type { ConsensusMessage, VoteMessage } from "../consensus/messages";
import type { Verdict } from "../consensus/consensusDriver";
import { InvariantViolation } from "./invariants";

/** What one honest node (one incarnation) was handed at one height, and what it reported. */
interface HeightWatch {
  /** `${round}/${kind}/${signer}` (or `${round}/propose`) → the block hash signed, or nil. */
  readonly signed: Map<string, string>;
  /** The same keys, for the equivocations the node reported through the driver's port. */
  readonly reported: Set<string>;
}

interface NodeWatch {
  readonly incarnation: number;
  /** By height: a node reports the equivocations among the next height's buffered votes as it starts it. */
  readonly heights: Map<number, HeightWatch>;
}

/** Heights kept per node below the one it is handed messages for. */
const HEIGHTS_KEPT = 2;

/**
 * "Evidence for every equivocation seen by an honest node": the simulator tells this watch about
 * every consensus message an honest node accepted while deciding that message's height, and about
 * every equivocation the node reported (the driver's `equivocation` port). When a node was handed
 * two different votes of one signer for one (round, kind) and did not report it by the time the
 * second one was handled, the invariant is broken.
 *
 * Every offender (conflicting votes or proposals) is also remembered with the first honest node
 * handed its equivocation from `fromMs` on (GST) and when, so the simulator can require evidence
 * against it in a finalized block by the end of the run (`offenders`).
 */
export class EquivocationWatch {
  private readonly nodes = new Map<number, NodeWatch>();
  /** Offending signing key → the first honest node handed its equivocation from `fromMs` on, and when. */
  readonly offenders = new Map<Address, { readonly node: number; readonly atMs: number }>();
  /** Every offending signing key, whenever seen. */
  readonly allOffenders = new Set<Address>();
  votesSeen = 0;
  proposalsSeen = 0;
  reports = 0;

  constructor(
    private readonly chainId: bigint,
    private readonly fromMs: number,
  ) {}

  /** The node reported `second` as conflicting with an earlier vote of the same signer. */
  onReported(node: number, incarnation: number, height: number, second: VoteMessage): void {
    this.reports++;
    this.watchOf(node, incarnation, height).reported.add(voteKey(second));
  }

  /**
   * The node handled `message` while deciding `height` (and had not decided it), with `verdict`.
   * Only accepted messages of that very height count: anything else never reached its vote book.
   */
  onHandled(
    node: number,
    incarnation: number,
    height: number,
    message: ConsensusMessage,
    verdict: Verdict,
    atMs: number,
  ): void {
    if (verdict !== "accept" || message.type === "commit" || message.height !== height) return;
    const watch = this.watchOf(node, incarnation, height);
    const key = message.type === "vote" ? voteKey(message) : `${message.round}/propose`;
    // A proposal conflicts when it names another block (the same block with another validRound is
    // no proof: evidence pairs name two block hashes).
    const value = message.type === "vote" ? (message.blockHash ?? "nil") : headerHash(message.block.header);
    const known = watch.signed.get(key);
    if (known === undefined) {
      watch.signed.set(key, value);
      return;
    }
    if (known === value) return;
    if (message.type === "proposal") {
      this.proposalsSeen++;
      const digest = proposalDigest(this.chainId, message.height, message.round, message.validRound, value as Hex);
      this.offender(recoverSigner(digest, message.signature)!, node, atMs);
      return;
    }
    this.votesSeen++;
    this.offender(message.validator, node, atMs);
    if (!watch.reported.has(key))
      throw new InvariantViolation(
        "evidence",
        `node ${node} was handed ${key} for ${known} and for ${value} at height ${height} and reported no equivocation`,
      );
  }

  private offender(signer: Address, node: number, atMs: number): void {
    this.allOffenders.add(signer);
    if (atMs >= this.fromMs && !this.offenders.has(signer)) this.offenders.set(signer, { node, atMs });
  }

  private watchOf(node: number, incarnation: number, height: number): HeightWatch {
    let watch = this.nodes.get(node);
    if (watch === undefined || watch.incarnation !== incarnation) {
      // A restart empties the node's vote books: start over with it.
      watch = { incarnation, heights: new Map() };
      this.nodes.set(node, watch);
    }
    let at = watch.heights.get(height);
    if (at === undefined) {
      at = { signed: new Map(), reported: new Set() };
      watch.heights.set(height, at);
      for (const h of watch.heights.keys()) if (h < height - HEIGHTS_KEPT) watch.heights.delete(h);
    }
    return at;
  }
}

function voteKey(v: VoteMessage): string {
  return `${v.round}/${v.kind}/${v.validator}`;
}
