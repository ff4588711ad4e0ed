import { expect } from "chai";
import { createChainState } from "../../node/chain/chainState";
import { headerHash } from "../../node/chain/headerCodec";
import type { L1BlockRef, RegistryEventSource } from "../../node/chain/registryPorts";
import { RegistryMirror } from "../../node/chain/registryView";
import { signDigest } from "../../node/chain/signing";
import type { Block } from "../../node/chain/types";
import { proposalDigest } from "../../node/chain/voteDigest";
import {
  ANCHOR_WAIT_SHARE,
  ConsensusDriver,
  MAX_PROPOSALS_AWAITING_ANCHOR,
  type Verdict,
} from "../../node/consensus/consensusDriver";
import type { ConsensusMessage, ProposalMessage, VoteMessage } from "../../node/consensus/messages";
import { SignGuard } from "../../node/consensus/signGuard";
import { MemorySignStateStore } from "../../node/consensus/signState";
import { ValidatorCore } from "../../node/consensus/validator";
import { fixture, honestBlock, keyOf, type Fixture } from "../../node/testing/chainFixture";
import { quietPorts } from "../../node/testing/driverPorts";
import { TEST_TIMEOUTS } from "../../node/testing/observerCore";
import type { StaticL1 } from "../../node/testing/staticL1";
import type { Hex } from "../../node/types/primitives";

/** This node's follower: it has confirmed the L1 blocks up to `upTo` only (the test moves it on). */
class LaggingView implements RegistryEventSource {
  constructor(
    private readonly l1: StaticL1,
    public upTo: number,
  ) {}
  confirmedHead(): L1BlockRef {
    return this.l1.blocks[Math.min(this.upTo, this.l1.blocks.length - 1)];
  }
  blockRef(n: number): L1BlockRef | null {
    return n <= this.upTo ? this.l1.blockRef(n) : null;
  }
  eventsBetween(from: number, to: number) {
    return this.l1.eventsBetween(from, Math.min(to, this.upTo));
  }
}

/** The driver's clock port: time moves only when the test says so; due calls run in time order. */
class ManualClock {
  nowMs: number;
  private tasks: { at: number; seq: number; fn: () => void }[] = [];
  private seq = 0;
  constructor(startMs: number) {
    this.nowMs = startMs;
  }
  schedule(delayMs: number, fn: () => void): void {
    this.tasks.push({ at: this.nowMs + delayMs, seq: this.seq++, fn });
  }
  advanceTo(ms: number, onStep: () => void = () => undefined): void {
    for (;;) {
      this.tasks.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.tasks[0];
      if (next === undefined || next.at > ms) break;
      this.tasks.shift();
      this.nowMs = next.at;
      next.fn();
      onStep();
    }
    this.nowMs = ms;
  }
}

const PROPOSE_MS = TEST_TIMEOUTS.proposeMs;
const WAIT_MS = PROPOSE_MS * ANCHOR_WAIT_SHARE;

/**
 * Representative keys[2] at height 1 (round 0's proposer is keys[1]) with a follower confirmed up to
 * `upTo` of an L1 of three blocks; its driver runs on a manual clock and records what it publishes.
 */
function laggingValidator(upTo: number) {
  const f = fixture();
  for (let i = 0; i < 3; i++) f.l1.addBlock([]);
  const view = new LaggingView(f.l1, upTo);
  const clock = new ManualClock(f.genesis.timestamp + 1000);
  const core = new ValidatorCore({
    config: f.config,
    state: createChainState(f.config, new RegistryMirror()),
    source: view,
    guard: new SignGuard(f.keys[2], new MemorySignStateStore()),
    timeouts: TEST_TIMEOUTS,
  });
  const published: ConsensusMessage[] = [];
  const ports = quietPorts({
    now: () => clock.nowMs,
    schedule: (delayMs, fn) => clock.schedule(delayMs, fn),
    publish: (m) => published.push(m),
  });
  const driver = new ConsensusDriver(core, ports);
  driver.start();
  const prevotes = () =>
    published.filter((m): m is VoteMessage => m.type === "vote" && m.kind === "prevote" && m.height === 1);
  return { f, view, clock, driver, published, prevotes };
}

/** Round 0's proposal of `block`, signed by its proposer. */
function proposalOf(f: Fixture, block: Block): ProposalMessage {
  const digest = proposalDigest(f.genesis.chainId, 1, 0, -1, headerHash(block.header));
  return {
    type: "proposal",
    height: 1,
    round: 0,
    validRound: -1,
    block,
    signature: signDigest(digest, keyOf(f, block.header.proposer).privateKey),
  };
}

/** An honest proposer's block with its anchor replaced (re-mined and re-signed: only the anchor is wrong). */
function anchoredAt(f: Fixture, number: number, hash?: Hex): Block {
  return honestBlock(f, {
    edit: (h) => ({ ...h, l1AnchorNumber: number, l1AnchorHash: hash ?? f.l1.blocks[number]?.hash ?? h.l1AnchorHash }),
  });
}

describe("a validator whose L1 follower lags waits for the anchor before prevoting nil", function () {
  it("a follower one block behind the proposer's still prevotes the block, once it confirms the anchor", function () {
    const { f, view, clock, driver, prevotes } = laggingValidator(2);
    const block = honestBlock(f);
    expect(block.header.l1AnchorNumber, "the proposer's follower confirmed block 3").to.equal(3);
    let verdict: Verdict | undefined;
    driver.onMessage(proposalOf(f, block), "proposer", "gossip", (v) => (verdict = v));
    const start = clock.nowMs;
    clock.advanceTo(start + 120);
    expect(prevotes(), "held back while our follower has not confirmed block 3").to.deep.equal([]);
    expect(verdict).to.equal(undefined);
    view.upTo = 3; // our follower confirms block 3, 120 ms later than the proposer's
    clock.advanceTo(start + WAIT_MS);
    expect(prevotes().map((v) => v.blockHash)).to.deep.equal([headerHash(block.header)]);
    expect(verdict).to.equal("accept");
  });

  it("without the wait this node would have prevoted nil: an anchor still unconfirmed at the bound gets nil", function () {
    const { f, clock, driver, prevotes } = laggingValidator(2);
    driver.onMessage(proposalOf(f, honestBlock(f)), "proposer", "gossip", () => undefined);
    const start = clock.nowMs;
    clock.advanceTo(start + WAIT_MS - 1);
    expect(prevotes()).to.deep.equal([]);
    clock.advanceTo(start + WAIT_MS);
    expect(prevotes().map((v) => v.blockHash)).to.deep.equal([null]);
  });

  describe("attacks: a proposer's anchor cannot make honest nodes wait long or accept it", function () {
    it("an anchor that does not exist on L1: one bounded wait, then nil", function () {
      const { f, clock, driver, prevotes } = laggingValidator(3);
      const bogus = anchoredAt(f, 1_000_000, `0x${"ab".repeat(32)}`);
      let prevotedAt: number | null = null;
      driver.onMessage(proposalOf(f, bogus), "proposer", "gossip", () => undefined);
      const start = clock.nowMs;
      clock.advanceTo(start + PROPOSE_MS - 1, () => (prevotedAt ??= prevotes().length > 0 ? clock.nowMs : null));
      expect(prevotes().map((v) => v.blockHash)).to.deep.equal([null]);
      expect(prevotedAt! - start, "prevoted nil at the wait's bound, before the propose timeout").to.equal(WAIT_MS);
    });

    it("an anchor that exists but is not confirmed (and does not become so): nil at the bound, never the block", function () {
      const { f, view, clock, driver, prevotes } = laggingValidator(1);
      const early = honestBlock(f); // anchored at block 3, two blocks above our confirmed head
      driver.onMessage(proposalOf(f, early), "proposer", "gossip", () => undefined);
      const start = clock.nowMs;
      clock.advanceTo(start + WAIT_MS);
      view.upTo = 3; // confirmed too late: the prevote was cast
      clock.advanceTo(start + PROPOSE_MS - 1);
      expect(prevotes().map((v) => v.blockHash)).to.deep.equal([null]);
    });

    it("an anchor on a dead fork (a confirmed height with another hash): nil at once, no wait", function () {
      const { f, clock, driver, prevotes } = laggingValidator(3);
      const forked = anchoredAt(f, 2, `0x${"de".repeat(32)}`);
      let verdict: Verdict | undefined;
      driver.onMessage(proposalOf(f, forked), "proposer", "gossip", (v) => (verdict = v));
      expect(prevotes().map((v) => v.blockHash)).to.deep.equal([null]);
      expect(verdict).to.equal("accept"); // a valid proposer's proposal: counted, and prevoted nil
      expect(clock.nowMs).to.equal(f.genesis.timestamp + 1000);
    });

    it("many versions of an unconfirmable proposal hold back at most a few at a time, each for the bound only", function () {
      const { f, clock, driver } = laggingValidator(3);
      const answered: number[] = [];
      const versions = 3 * MAX_PROPOSALS_AWAITING_ANCHOR;
      for (let i = 0; i < versions; i++) {
        const block = anchoredAt(f, 1_000_000 + i, `0x${"ab".repeat(32)}`);
        driver.onMessage(proposalOf(f, block), "proposer", "gossip", () => answered.push(clock.nowMs));
      }
      const start = clock.nowMs;
      expect(answered.length, "beyond the cap: judged at once").to.equal(versions - MAX_PROPOSALS_AWAITING_ANCHOR);
      clock.advanceTo(start + WAIT_MS);
      expect(answered).to.have.length(versions);
      expect(Math.max(...answered) - start).to.equal(WAIT_MS);
    });
  });
});
