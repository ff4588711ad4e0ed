/**
 * Property tests (fast-check): random sequences of registrations, renewals, votes, withdrawals, revocations,
 * slashings, refunds, withdrawals of balances, token transfers and delegations keep the registries'
 * invariants. Rejected actions are part of the sequences: a revert must change nothing.
 * Default runs are few to keep `npm test` fast; PROPERTY_RUNS=300 (npm run test:props) runs a longer campaign.
 */
import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  UNBONDING_PERIOD,
  candidateAddress,
  candidateWallet,
  deployFixture,
  equivocation,
  qualificationHash,
  registerOne,
  renewalApplication,
  type Fixture,
} from "./fixtures";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 15);
const CANDIDATES = 3;
const VOTERS = 4;
const MAX_VOTES = 2;

type Action =
  | { kind: "register"; c: number }
  | { kind: "vote"; v: number; add: number[]; revoke: number[] }
  | { kind: "withdraw"; c: number }
  | { kind: "revoke"; c: number }
  | { kind: "slash"; c: number; height: number }
  | { kind: "refund"; c: number; wait: boolean }
  | { kind: "withdrawRefund"; who: number }
  | { kind: "renew"; c: number }
  | { kind: "transfer"; from: number; to: number; amount: bigint }
  | { kind: "delegate"; v: number; to: number };

const candidateIdx = fc.integer({ min: 0, max: CANDIDATES - 1 });
const voterIdx = fc.integer({ min: 0, max: VOTERS - 1 });
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("register" as const), c: candidateIdx }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("vote" as const),
      v: voterIdx,
      add: fc.array(candidateIdx, { maxLength: 2 }),
      revoke: fc.array(candidateIdx, { maxLength: 1 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("withdraw" as const), c: candidateIdx }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("revoke" as const), c: candidateIdx }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("slash" as const),
      c: candidateIdx,
      height: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("refund" as const), c: candidateIdx, wait: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("withdrawRefund" as const), who: fc.integer({ min: 0, max: 2 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("renew" as const), c: candidateIdx }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("transfer" as const),
      from: voterIdx,
      to: voterIdx,
      amount: fc.bigInt({ min: 0n, max: ethers.parseEther("150") }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("delegate" as const), v: voterIdx, to: voterIdx }) },
);

describe("registry invariants (fast-check)", () => {
  async function fixture() {
    const fx = await deployFixture();
    await fx.voteRegistry.setMaxVotesPerVoter(MAX_VOTES);
    return fx;
  }

  it("balance = deposits held + withdrawable balances; weighted tallies from events equal recounts from state", async () => {
    const succeeded = new Map<Action["kind"], number>();
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 10, maxLength: 30 }), async (actions) => {
        const fx = await loadFixture(fixture);
        const start = await ethers.provider.getBlockNumber();
        for (const a of actions) {
          await perform(fx, a).then(
            () => succeeded.set(a.kind, (succeeded.get(a.kind) ?? 0) + 1),
            (err: unknown) => expectCustomRevert(err),
          );
          expect(await ethers.provider.getBalance(fx.registry)).to.equal(await heldAndWithdrawable(fx));
          for (const voter of fx.voters.slice(0, VOTERS)) {
            expect((await fx.voteRegistry.votesOf(voter.address)).length).to.be.at.most(MAX_VOTES);
          }
        }
        await mine(1);
        const block = (await ethers.provider.getBlockNumber()) - 1;
        expect(await tallyFromEvents(fx, start, block)).to.deep.equal(await tallyFromState(fx, block));
      }),
      { numRuns: RUNS, seed: process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : undefined },
    );
    // The sequences must exercise the contracts, not only their reverts.
    for (const kind of ["register", "vote", "transfer", "delegate"] as const) {
      expect(succeeded.get(kind) ?? 0, kind).to.be.greaterThan(0);
    }
    const removals = ["withdraw", "revoke", "slash"].map((k) => succeeded.get(k as Action["kind"]) ?? 0);
    expect(
      removals.reduce((a, b) => a + b, 0),
      "removals",
    ).to.be.greaterThan(0);
  });
});

async function perform(fx: Fixture, a: Action): Promise<void> {
  const { registry, voteRegistry: votes, token } = fx;
  switch (a.kind) {
    case "register":
      await registerOne(fx, candidateAddress(a.c), qualificationHash(a.c));
      return;
    case "vote":
      await votes.connect(fx.voters[a.v]).vote(a.add.map(candidateAddress), a.revoke.map(candidateAddress));
      return;
    case "withdraw":
      await registry.connect(fx.operator).withdraw(candidateAddress(a.c));
      return;
    case "revoke":
      await registry.revokeCandidate(candidateAddress(a.c), ethers.ZeroHash);
      return;
    case "slash":
      await registry
        .connect(fx.stranger)
        .submitEquivocation(...equivocation(candidateAddress(a.c), candidateWallet(a.c), { height: a.height }));
      return;
    case "renew": {
      const c = candidateAddress(a.c);
      const app = await renewalApplication(registry, fx.domain, fx.auditors.slice(2, 5), c, qualificationHash(a.c));
      await registry.connect(fx.operator).renewCredentials(app);
      return;
    }
    case "refund":
      if (a.wait) await time.increase(UNBONDING_PERIOD);
      await registry.connect(fx.stranger).refund(candidateAddress(a.c));
      return;
    case "withdrawRefund": {
      const who = [fx.operator, fx.stranger, fx.treasury][a.who];
      await registry.connect(who).withdrawRefund(who.address);
      return;
    }
    case "transfer":
      await token.connect(fx.voters[a.from]).transfer(fx.voters[a.to].address, a.amount);
      return;
    case "delegate":
      await token.connect(fx.voters[a.v]).delegate(fx.voters[a.to].address);
      return;
  }
}

/** What the registry owes: deposits of unsettled records plus every credited balance (address(0) = burned). */
async function heldAndWithdrawable(fx: Fixture): Promise<bigint> {
  let total = 0n;
  for (let c = 0; c < CANDIDATES; c++) total += (await fx.registry.getCandidate(candidateAddress(c))).deposit;
  for (const account of [fx.operator.address, fx.stranger.address, fx.treasury.address, ethers.ZeroAddress]) {
    total += await fx.registry.withdrawable(account);
  }
  return total;
}

/**
 * The node's rule from the events alone: a candidate's votes at `block` are the past votes of the voters whose
 * approval names its registration standing then (registered and not removed).
 */
async function tallyFromEvents(fx: Fixture, start: number, block: number): Promise<Record<string, bigint>> {
  const { registry, voteRegistry: votes, token } = fx;
  const logs = [
    ...(await registry.queryFilter(registry.filters.CandidateRegistered(), start, block)),
    ...(await registry.queryFilter(registry.filters.CandidateRemoved(), start, block)),
    ...(await votes.queryFilter(votes.filters.VoteCast(), start, block)),
    ...(await votes.queryFilter(votes.filters.VoteRevoked(), start, block)),
  ].sort((x, y) => x.blockNumber - y.blockNumber || x.index - y.index);
  const standing = new Map<string, bigint>();
  const approvals = new Map<string, bigint>();
  for (const log of logs) {
    const args = log.args as unknown as Record<string, string & bigint>;
    if (log.eventName === "CandidateRegistered") standing.set(args.candidate, args.registration);
    else if (log.eventName === "CandidateRemoved") standing.delete(args.candidate);
    else if (log.eventName === "VoteCast") approvals.set(`${args.voter} ${args.candidate}`, args.registration);
    else approvals.delete(`${args.voter} ${args.candidate}`);
  }
  const tally: Record<string, bigint> = {};
  for (const [key, registration] of approvals) {
    const [voter, candidate] = key.split(" ");
    if (standing.get(candidate) !== registration) continue;
    tally[candidate] = (tally[candidate] ?? 0n) + (await token.getPastVotes(voter, block));
  }
  return tally;
}

/** The same from the contracts' state: live approvals (approvalsOf) weighted by getPastVotes at `block`. */
async function tallyFromState(fx: Fixture, block: number): Promise<Record<string, bigint>> {
  const tally: Record<string, bigint> = {};
  for (const voter of fx.voters.slice(0, VOTERS)) {
    const power = await fx.token.getPastVotes(voter.address, block);
    for (const approval of await fx.voteRegistry.approvalsOf(voter.address)) {
      if (approval.live) tally[approval.candidate] = (tally[approval.candidate] ?? 0n) + power;
    }
  }
  return tally;
}

/** A rejected action must be a contract's custom error, never a panic or an out-of-gas. */
function expectCustomRevert(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  expect(message).to.match(/reverted with custom error/, message);
}
