import { expect } from "chai";
import type { Block } from "../../node/chain/types";
import type { VerifiedProposal, VoteMessage } from "../../node/consensus/messages";
import { Tendermint, type TendermintOutput } from "../../node/consensus/tendermint";
import type { Address, Hex } from "../../node/types/primitives";

// The machine consumes already-verified messages, so these tests use plain addresses and opaque
// blocks: what is under test is Algorithm 1's bookkeeping, not signatures.
const V: Address[] = [1, 2, 3, 4].map((i) => `0x${String(i).repeat(40)}` as Address);
const [P, V1, V2, V3] = V;
const TIMEOUTS = { proposeMs: 100, prevoteMs: 50, precommitMs: 50, roundDeltaMs: 10 };
const H = 1;
const A = block("0xaa");
const B = block("0xbb");

function block(tag: string): { block: Block; hash: Hex } {
  const hash = `${tag}${"00".repeat(31)}` as Hex;
  return { block: { header: { height: H } } as unknown as Block, hash };
}

function proposal(round: number, value: { block: Block; hash: Hex }, validRound = -1): VerifiedProposal {
  return { type: "proposal", height: H, round, validRound, block: value.block, signature: "0x", blockHash: value.hash };
}

function vote(kind: "prevote" | "precommit", validator: Address, round: number, hash: Hex | null): VoteMessage {
  return { type: "vote", kind, height: H, round, blockHash: hash, validator, signature: "0x" };
}

/** A machine for validator P at height 1; proposer(r) = V[(1 + r) % 4], so P never proposes rounds 0–2. */
function machine(options: { disableLocking?: boolean; valid?: (hash: Hex) => boolean } = {}) {
  const m = new Tendermint(P, TIMEOUTS, { disableLocking: options.disableLocking });
  const valid = options.valid ?? (() => true);
  const hashes = new Map<Block, Hex>([
    [A.block, A.hash],
    [B.block, B.hash],
  ]);
  const start = m.startHeight({
    height: H,
    validators: V,
    proposer: (r) => V[(H + r) % 4],
    isValid: (b) => valid(hashes.get(b)!),
  });
  return { m, start };
}

/** Feeds P's own votes back, as the driver does after signing. */
function run(m: Tendermint, outputs: TendermintOutput[]): TendermintOutput[] {
  const all = [...outputs];
  for (let i = 0; i < all.length; i++) {
    const o = all[i];
    if (o.type === "vote") all.push(...m.onVote(vote(o.kind, P, o.round, o.blockHash)));
  }
  return all;
}

function votesOf(outputs: TendermintOutput[], kind: "prevote" | "precommit") {
  return outputs.filter((o): o is Extract<TendermintOutput, { type: "vote" }> => o.type === "vote" && o.kind === kind);
}

/** Round 0: P prevotes and precommits A (so it is locked on A at round 0), then moves to round 1. */
function lockOnAInRound0(m: Tendermint) {
  run(m, m.onProposal(proposal(0, A)));
  run(m, m.onVote(vote("prevote", V1, 0, A.hash)));
  const out = run(m, m.onVote(vote("prevote", V2, 0, A.hash)));
  expect(votesOf(out, "precommit").map((v) => v.blockHash)).to.deep.equal([A.hash]);
  run(m, m.onVote(vote("precommit", V2, 0, null)));
  run(m, m.onVote(vote("precommit", V3, 0, null)));
  run(m, m.onTimeout("precommit", H, 0));
  expect(m.round).to.equal(1);
}

describe("Tendermint state machine", () => {
  it("schedules the propose timeout at start and prevotes nil when it fires", () => {
    const { m, start } = machine();
    expect(start).to.deep.include({ type: "timeout", step: "propose", height: H, round: 0, delayMs: 100 });
    const out = m.onTimeout("propose", H, 0);
    expect(votesOf(out, "prevote")).to.deep.equal([
      { type: "vote", kind: "prevote", height: H, round: 0, blockHash: null },
    ]);
    expect(m.step).to.equal("prevote");
  });

  it("asks to mine when it is the proposer and has no valid value", () => {
    const m = new Tendermint(V1, TIMEOUTS);
    const out = m.startHeight({ height: H, validators: V, proposer: (r) => V[(H + r) % 4], isValid: () => true });
    expect(out[0]).to.deep.equal({ type: "mine", height: H, round: 0 });
  });

  it("prevotes a valid proposal and nil for an invalid one", () => {
    const ok = machine();
    expect(votesOf(ok.m.onProposal(proposal(0, A)), "prevote")[0].blockHash).to.equal(A.hash);
    const bad = machine({ valid: () => false });
    expect(votesOf(bad.m.onProposal(proposal(0, A)), "prevote")[0].blockHash).to.equal(null);
  });

  it("ignores a proposal for another round or height", () => {
    const { m } = machine();
    expect(m.onProposal({ ...proposal(0, A), height: 2 })).to.deep.equal([]);
    expect(m.step).to.equal("propose");
  });

  it("locked on A, prevotes nil for a fresh B in a later round", () => {
    const { m } = machine();
    lockOnAInRound0(m);
    const out = run(m, m.onProposal(proposal(1, B)));
    expect(votesOf(out, "prevote").map((v) => v.blockHash)).to.deep.equal([null]);
  });

  it("without locking (the broken variant) prevotes B — the behaviour the lock exists to prevent", () => {
    const { m } = machine({ disableLocking: true });
    lockOnAInRound0(m);
    const out = run(m, m.onProposal(proposal(1, B)));
    expect(votesOf(out, "prevote").map((v) => v.blockHash)).to.deep.equal([B.hash]);
  });

  it("locked on A, still prevotes A when it is proposed again", () => {
    const { m } = machine();
    lockOnAInRound0(m);
    const out = run(m, m.onProposal(proposal(1, A, 0)));
    expect(votesOf(out, "prevote").map((v) => v.blockHash)).to.deep.equal([A.hash]);
  });

  it("a later-round polka for B unlocks A: P precommits B and re-locks", () => {
    const { m } = machine();
    lockOnAInRound0(m);
    run(m, m.onProposal(proposal(1, B))); // P prevotes nil (locked)
    run(m, m.onVote(vote("prevote", V1, 1, B.hash)));
    run(m, m.onVote(vote("prevote", V2, 1, B.hash)));
    const out = run(m, m.onVote(vote("prevote", V3, 1, B.hash)));
    expect(votesOf(out, "precommit").map((v) => v.blockHash)).to.deep.equal([B.hash]);
    // Round 2 re-proposes A with its round-0 polka: older than the round-1 lock on B → nil.
    run(m, m.onVote(vote("precommit", V1, 1, null)));
    run(m, m.onVote(vote("precommit", V3, 1, null)));
    run(m, m.onTimeout("precommit", H, 1));
    expect(m.round).to.equal(2);
    const again = run(m, m.onProposal(proposal(2, A, 0)));
    expect(votesOf(again, "prevote").map((v) => v.blockHash)).to.deep.equal([null]);
  });

  it("a proposal with a polka at validRound ≥ lockedRound is prevoted even when locked elsewhere", () => {
    const { m } = machine();
    lockOnAInRound0(m);
    // Round 1: B gets a polka P did not take part in (P prevoted nil; it saw the polka late).
    run(m, m.onTimeout("propose", H, 1));
    for (const v of [V1, V2, V3]) run(m, m.onVote(vote("prevote", v, 1, B.hash)));
    run(m, m.onVote(vote("precommit", V1, 1, null)));
    run(m, m.onVote(vote("precommit", V2, 1, null)));
    run(m, m.onTimeout("precommit", H, 1));
    const out = run(m, m.onProposal(proposal(2, B, 1)));
    expect(votesOf(out, "prevote").map((v) => v.blockHash)).to.deep.equal([B.hash]);
  });

  it("a re-proposal naming a validRound without a polka here is not prevoted, even by a node locked earlier (the polka is what justifies it)", () => {
    const { m } = machine();
    lockOnAInRound0(m);
    run(m, m.onTimeout("propose", H, 1));
    run(m, m.onVote(vote("precommit", V1, 1, null)));
    run(m, m.onVote(vote("precommit", V2, 1, null)));
    run(m, m.onTimeout("precommit", H, 1));
    expect(m.round).to.equal(2);
    // B claims a round-1 polka (1 ≥ P's lockedRound 0) that never happened: only V1 prevoted B.
    run(m, m.onVote(vote("prevote", V1, 1, B.hash)));
    const out = run(m, m.onProposal(proposal(2, B, 1)));
    expect(votesOf(out, "prevote")).to.deep.equal([]);
    const timedOut = run(m, m.onTimeout("propose", H, 2));
    expect(votesOf(timedOut, "prevote").map((v) => v.blockHash)).to.deep.equal([null]);
  });

  it("re-proposes its valid value: a proposer that saw a polka for A proposes A with that validRound, not a fresh block", () => {
    const { m } = machine();
    lockOnAInRound0(m);
    let entered: TendermintOutput[] = [];
    for (const r of [1, 2]) {
      run(m, m.onTimeout("propose", H, r));
      run(m, m.onVote(vote("precommit", V1, r, null)));
      run(m, m.onVote(vote("precommit", V2, r, null)));
      entered = run(m, m.onTimeout("precommit", H, r));
    }
    expect(m.round).to.equal(3); // proposer(3) = V[(1 + 3) % 4] = P
    expect(entered.find((o) => o.type === "mine")).to.equal(undefined);
    expect(entered.find((o) => o.type === "propose")).to.deep.include({ round: 3, validRound: 0, block: A.block });
  });

  it("does not decide on 2f+1 precommits for a block it cannot validate (valid(v) of line 49)", () => {
    const { m } = machine({ valid: (hash) => hash !== A.hash });
    run(m, m.onProposal(proposal(0, A)));
    for (const v of [V1, V2, V3]) run(m, m.onVote(vote("precommit", v, 0, A.hash)));
    expect(m.decided).to.equal(false);
  });

  it("decides on 2f+1 precommits for a known, valid block — in any round", () => {
    const { m } = machine();
    run(m, m.onProposal(proposal(0, A)));
    run(m, m.onVote(vote("precommit", V1, 3, A.hash)));
    run(m, m.onVote(vote("precommit", V2, 3, A.hash)));
    const out = run(m, m.onVote(vote("precommit", V3, 3, A.hash)));
    const decide = out.find((o) => o.type === "decide");
    expect(decide).to.include({ type: "decide", height: H, round: 3 });
    expect((decide as Extract<TendermintOutput, { type: "decide" }>).precommits).to.have.length(3);
    expect(m.decided).to.equal(true);
  });

  it("does not decide on 2f precommits, nor on duplicates of one validator", () => {
    const { m } = machine();
    run(m, m.onProposal(proposal(0, A)));
    run(m, m.onVote(vote("precommit", V1, 0, A.hash)));
    run(m, m.onVote(vote("precommit", V1, 0, A.hash)));
    const out = run(m, m.onVote(vote("precommit", V2, 0, A.hash)));
    expect(out.find((o) => o.type === "decide")).to.equal(undefined);
    expect(m.decided).to.equal(false);
  });

  it("reports equivocation, with the validator's first vote", () => {
    const { m } = machine();
    m.onVote(vote("prevote", V1, 0, A.hash));
    const out = m.onVote(vote("prevote", V1, 0, B.hash));
    expect(out).to.have.length(1);
    expect(out[0]).to.deep.include({ type: "equivocation", first: vote("prevote", V1, 0, A.hash) });
  });

  it("counts an equivocator's second vote for its value: one equivocator cannot keep P from the re-proposal its polka justifies", () => {
    const { m } = machine();
    run(m, m.onProposal(proposal(0, A))); // P prevotes A
    run(m, m.onVote(vote("prevote", V3, 0, null))); // the equivocator's nil reaches P first...
    run(m, m.onVote(vote("prevote", V1, 0, A.hash))); // ...so P sees 2 of 3 prevotes for A: no polka
    run(m, m.onTimeout("prevote", H, 0));
    run(m, m.onVote(vote("precommit", V1, 0, null)));
    run(m, m.onVote(vote("precommit", V3, 0, null)));
    run(m, m.onTimeout("precommit", H, 0));
    expect(m.round).to.equal(1);
    // V2 (locked on A: it saw V3's A prevote) re-proposes A and relays the round-0 polka, V3's A vote in it.
    expect(m.onVote(vote("prevote", V3, 0, A.hash))[0]).to.include({ type: "equivocation" });
    const out = run(m, m.onProposal(proposal(1, A, 0)));
    expect(votesOf(out, "prevote").map((v) => v.blockHash)).to.deep.equal([A.hash]);
  });

  it("skips to a higher round on f+1 messages of that round, not on f", () => {
    const { m } = machine();
    m.onVote(vote("prevote", V1, 5, null));
    expect(m.round).to.equal(0);
    m.onVote(vote("prevote", V2, 5, null));
    expect(m.round).to.equal(5);
  });

  it("ignores votes of non-members and of rounds too far ahead", () => {
    const { m } = machine();
    expect(m.onVote(vote("prevote", `0x${"9".repeat(40)}` as Address, 0, A.hash))).to.deep.equal([]);
    m.onVote(vote("prevote", V1, 1000, null));
    m.onVote(vote("prevote", V2, 1000, null));
    expect(m.round).to.equal(0);
  });

  it("resumes with a persisted lock after a restart", () => {
    const m = new Tendermint(P, TIMEOUTS);
    m.startHeight(
      { height: H, validators: V, proposer: (r) => V[(H + r) % 4], isValid: () => true },
      { round: 1, lock: { round: 0, blockHash: A.hash, block: A.block, polka: [] } },
    );
    expect(m.round).to.equal(1);
    const out = run(m, m.onProposal(proposal(1, B)));
    expect(votesOf(out, "prevote").map((v) => v.blockHash)).to.deep.equal([null]);
  });

  it("timeouts grow with the round", () => {
    const { m } = machine();
    m.onVote(vote("prevote", V1, 4, null));
    const out = m.onVote(vote("prevote", V2, 4, null));
    expect(out).to.deep.include({ type: "timeout", step: "propose", height: H, round: 4, delayMs: 140 });
  });
});
