/**
 * Property tests (fast-check): random sequences of registrations, votes, withdrawals, revocations and refunds
 * keep the registries' invariants. Rejected actions are part of the sequences: a revert must change nothing.
 * Default runs are few to keep `npm test` fast; PROPERTY_RUNS=500 npx hardhat test test/contracts/properties.ts
 * runs a longer campaign.
 */
import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  MIN_DEPOSIT,
  UNBONDING_PERIOD,
  application,
  candidateAddress,
  deployFixture,
  qualificationHash,
} from "./fixtures";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 20);
const CANDIDATES = 3;
const VOTERS = 4;

type Action =
  | { kind: "register"; c: number; extra: bigint }
  | { kind: "vote"; v: number; add: number[]; revoke: number[] }
  | { kind: "withdraw"; c: number }
  | { kind: "revoke"; c: number }
  | { kind: "refund"; c: number; wait: boolean }
  | { kind: "renew"; c: number };

const candidateIdx = fc.integer({ min: 0, max: CANDIDATES - 1 });
const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("register" as const),
      c: candidateIdx,
      extra: fc.bigInt({ min: 0n, max: 3n }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("vote" as const),
      v: fc.integer({ min: 0, max: VOTERS - 1 }),
      add: fc.array(candidateIdx, { maxLength: 2 }),
      revoke: fc.array(candidateIdx, { maxLength: 1 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("withdraw" as const), c: candidateIdx }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("revoke" as const), c: candidateIdx }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("refund" as const), c: candidateIdx, wait: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("renew" as const), c: candidateIdx }) },
);

describe("registry invariants (fast-check)", () => {
  async function fixture() {
    const fx = await deployFixture();
    await fx.voteRegistry.setMaxVotesPerVoter(4);
    return fx;
  }

  it("keep the balance equal to unrefunded deposits and approvals equal to VoteCast minus VoteRevoked", async () => {
    const succeeded: Record<Action["kind"], number> = {
      register: 0,
      vote: 0,
      withdraw: 0,
      revoke: 0,
      refund: 0,
      renew: 0,
    };
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 10, maxLength: 30 }), async (actions) => {
        const fx = await loadFixture(fixture);
        const { registry, voteRegistry: votes } = fx;
        const start = await ethers.provider.getBlockNumber();
        for (const a of actions) {
          await perform(fx, a).then(
            () => (succeeded[a.kind] += 1),
            (err: unknown) => expectCustomRevert(err),
          );
          expect(await ethers.provider.getBalance(registry)).to.equal(await escrowedByRecords(fx));
        }
        // Balance against the events: deposits registered minus deposits refunded.
        const registered = await registry.queryFilter(registry.filters.CandidateRegistered(), start);
        const refunded = await registry.queryFilter(registry.filters.DepositRefunded(), start);
        const sum = (xs: bigint[]) => xs.reduce((s, x) => s + x, 0n);
        expect(await ethers.provider.getBalance(registry)).to.equal(
          sum(registered.map((e) => e.args.deposit)) - sum(refunded.map((e) => e.args.amount)),
        );
        // Each voter's on-chain approval of each candidate equals its VoteCast minus VoteRevoked events.
        const cast = await votes.queryFilter(votes.filters.VoteCast(), start);
        const revoked = await votes.queryFilter(votes.filters.VoteRevoked(), start);
        for (const voter of fx.voters.slice(0, VOTERS)) {
          const held = new Set(await votes.votesOf(voter.address));
          expect(held.size).to.equal((await votes.votesOf(voter.address)).length, "no duplicate approvals");
          for (let c = 0; c < CANDIDATES; c++) {
            const C = candidateAddress(c);
            const net =
              cast.filter((e) => e.args.voter === voter.address && e.args.candidate === C).length -
              revoked.filter((e) => e.args.voter === voter.address && e.args.candidate === C).length;
            expect(held.has(C) ? 1 : 0).to.equal(net, `voter ${voter.address} candidate ${C}`);
          }
        }
      }),
      { numRuns: RUNS, seed: process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : undefined },
    );
    // The sequences must exercise the contracts, not only their reverts.
    expect(succeeded.register).to.be.greaterThan(0);
    expect(succeeded.vote + succeeded.withdraw + succeeded.revoke).to.be.greaterThan(0);
  });
});

type Fixture = Awaited<ReturnType<typeof deployFixture>>;

async function perform(fx: Fixture, a: Action): Promise<void> {
  const { registry, voteRegistry: votes } = fx;
  switch (a.kind) {
    case "register": {
      const app = await application(
        registry,
        fx.domain,
        fx.auditors.slice(0, 3),
        candidateAddress(a.c),
        qualificationHash(a.c),
      );
      await registry.connect(fx.operator).registerCandidate(app, { value: MIN_DEPOSIT + a.extra });
      return;
    }
    case "vote":
      await votes.connect(fx.voters[a.v]).vote(a.add.map(candidateAddress), a.revoke.map(candidateAddress));
      return;
    case "withdraw":
      await registry.connect(fx.operator).withdraw(candidateAddress(a.c));
      return;
    case "revoke":
      await registry.revokeCandidate(candidateAddress(a.c), ethers.ZeroHash);
      return;
    case "renew": {
      const app = await application(
        registry,
        fx.domain,
        fx.auditors.slice(2, 5),
        candidateAddress(a.c),
        qualificationHash(a.c),
      );
      await registry.connect(fx.operator).renewCredentials(app);
      return;
    }
    case "refund":
      if (a.wait) await time.increase(UNBONDING_PERIOD);
      await registry.connect(fx.stranger).refund(candidateAddress(a.c));
      return;
  }
}

/** The deposits the records say are held: those of candidates not yet refunded. */
async function escrowedByRecords(fx: Fixture): Promise<bigint> {
  let total = 0n;
  for (let c = 0; c < CANDIDATES; c++) total += (await fx.registry.getCandidate(candidateAddress(c))).deposit;
  return total;
}

/** A rejected action must be a contract's custom error, never a panic or an out-of-gas. */
function expectCustomRevert(err: unknown): void {
  const data = (err as { data?: string }).data;
  const message = err instanceof Error ? err.message : String(err);
  expect(message).to.match(/reverted with custom error/, message);
  expect(data === undefined || data.length >= 10).to.equal(true);
}
