import { headerHash } from "../chain/headerCodec";
import type { ConsensusMessage, VoteMessage } from "../consensus/messages";
import type { Verdict } from "../consensus/consensusDriver";
import { InvariantViolation } from "./invariants";

/** What one honest node (one incarnation, one height) was handed and what it reported. */
interface NodeWatch {
  incarnation: number;
  height: number;
  /** `${round}/${kind}/${signer}` → the value signed (block hash or nil; for proposals with validRound). */
  readonly signed: Map<string, string>;
  /** The same keys, for the equivocations the node reported through the driver's port. */
  readonly reported: Set<string>;
}

/**
 * "Evidence for every equivocation seen by an honest node": the simulator tells this watch about
 * every consensus message an honest node accepted while deciding that message's height, and about
 * every equivocation the node reported (the driver's `equivocation` port). When a node was handed
 * two different votes of one signer for one (round, kind) and did not report it by the time the
 * second one was handled, the invariant is broken.
 *
 * Two conflicting proposals are recorded too (`proposalsSeen`) but not yet required to be
 * reported: the core drops a second proposal of a round without a report until equivocation
 * evidence covers proposals.
 */
export class EquivocationWatch {
  private readonly nodes = new Map<number, NodeWatch>();
  votesSeen = 0;
  proposalsSeen = 0;
  reports = 0;

  /** The node reported `second` as conflicting with an earlier vote of the same signer. */
  onReported(node: number, incarnation: number, height: number, second: VoteMessage): void {
    this.reports++;
    this.watchOf(node, incarnation, height).reported.add(voteKey(second));
  }

  /**
   * The node handled `message` while deciding `height` (and had not decided it), with `verdict`.
   * Only accepted messages of that very height count: anything else never reached its vote book.
   */
  onHandled(node: number, incarnation: number, height: number, message: ConsensusMessage, verdict: Verdict): void {
    if (verdict !== "accept" || message.type === "commit" || message.height !== height) return;
    const watch = this.watchOf(node, incarnation, height);
    const key = message.type === "vote" ? voteKey(message) : `${message.round}/propose`;
    const value =
      message.type === "vote"
        ? (message.blockHash ?? "nil")
        : `${headerHash(message.block.header)}/${message.validRound}`;
    const known = watch.signed.get(key);
    if (known === undefined) {
      watch.signed.set(key, value);
      return;
    }
    if (known === value) return;
    if (message.type === "proposal") {
      this.proposalsSeen++;
      return;
    }
    this.votesSeen++;
    if (!watch.reported.has(key))
      throw new InvariantViolation(
        "evidence",
        `node ${node} was handed ${key} for ${known} and for ${value} at height ${height} and reported no equivocation`,
      );
  }

  private watchOf(node: number, incarnation: number, height: number): NodeWatch {
    let watch = this.nodes.get(node);
    if (watch === undefined || watch.incarnation !== incarnation || watch.height !== height) {
      // A restart or a new height empties the node's vote book: start over with it.
      watch = { incarnation, height, signed: new Map(), reported: new Set() };
      this.nodes.set(node, watch);
    }
    return watch;
  }
}

function voteKey(v: VoteMessage): string {
  return `${v.round}/${v.kind}/${v.validator}`;
}
