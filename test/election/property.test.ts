import { expect } from "chai";
import fc from "fast-check";
import { elect } from "../../node/election";
import {
  applyEvent,
  applyEvents,
  emptyRegistryState,
  RegistryError,
  snapshotRegistryState,
  stateDigest,
  type RegistryState,
} from "../../node/registry";
import type { RemovalReason, RegistryEventBody } from "../../node/registry/events";
import type { Address } from "../../node/types/primitives";
import { addr, AUDITOR, bytes32, candidate, operator, voter } from "../registry/fixtures";
import {
  approvalOf,
  approves,
  depositOf,
  lastRegistration,
  naiveAccepts,
  naiveElect,
  naiveStandings,
  powerOf,
  signingKeyOf,
  statusOf,
} from "./naiveRecount";

/**
 * Results are compared as JSON text: chai's deep equal, as patched by hardhat-chai-matchers for
 * bigints, costs milliseconds per call and would dominate these loops.
 */
const json = (value: unknown): string => JSON.stringify(value, (_, v) => (typeof v === "bigint" ? `${v}n` : v));

// Small pools, so that random intents collide often: re-registrations, duplicate votes, revokes
// of removed candidates and refunds all occur in most runs.
const CANDIDATES = 5;
const VOTERS = 5;
const EXPIRY_MAX = 20;

const idx = (n: number) => fc.nat({ max: n - 1 });
const expiry = fc.bigInt({ min: 0n, max: BigInt(EXPIRY_MAX) });

/** What a test step tries to do; `toEvent` turns it into an event, which may or may not be valid. */
const arbIntent = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant("register" as const),
      c: idx(CANDIDATES),
      o: idx(3),
      expiry,
      deposit: fc.constantFrom(0n, 50n, 100n, 100n, 100n),
      stale: fc.constantFrom(false, false, false, true),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("renew" as const), c: idx(CANDIDATES), expiry }) },
  {
    weight: 3,
    arbitrary: fc.record({ t: fc.constant("remove" as const), c: idx(CANDIDATES), reason: fc.nat({ max: 3 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant("refund" as const),
      c: idx(CANDIDATES),
      exact: fc.constantFrom(true, true, true, false),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant("slash" as const), c: idx(CANDIDATES), amount: fc.constantFrom(5n, 500n) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant("rotate" as const), c: idx(CANDIDATES), key: idx(CANDIDATES + 2) }),
  },
  {
    weight: 12,
    arbitrary: fc.record({
      t: fc.constant("vote" as const),
      v: idx(VOTERS),
      c: idx(CANDIDATES),
      stale: fc.constantFrom(false, false, false, true),
    }),
  },
  { weight: 4, arbitrary: fc.record({ t: fc.constant("revoke" as const), v: idx(VOTERS), c: idx(CANDIDATES) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant("power" as const),
      v: idx(VOTERS),
      // 10^24 and the largest uint256 span several of the tally's 32-bit digits (node/registry/limbs.ts).
      votes: fc.oneof(fc.constantFrom(0n, 1n, 10n ** 24n, (1n << 256n) - 1n), fc.bigInt({ min: 0n, max: 1000n })),
      gap: fc.constantFrom(false, false, false, false, true),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant("rule" as const),
      min: fc.bigInt({ min: 0n, max: 3n }),
      max: fc.bigInt({ min: 0n, max: 6n }),
      perSeat: fc.bigInt({ min: 0n, max: 3n }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("minDeposit" as const), value: fc.constantFrom(0n, 50n, 100n) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("auditor" as const), a: idx(2), add: fc.boolean() }) },
);
/** Up to 80 steps, at any length (fast-check's default size would keep arrays near 10). */
const arbIntents = fc.array(arbIntent, { maxLength: 80, size: "max" });
type Intent = typeof arbIntent extends fc.Arbitrary<infer T> ? T : never;

/** The registration nonce a new registration of `c` takes (it moved at the removal too). */
const nextRegistration = (history: RegistryEventBody[], c: Address): number =>
  (lastRegistration(history, c)?.registration ?? -1) + 2;

function toEvent(intent: Intent, history: RegistryEventBody[]): RegistryEventBody {
  switch (intent.t) {
    case "register":
      return {
        kind: "CandidateRegistered",
        candidate: candidate(intent.c),
        operator: operator(intent.o),
        deposit: intent.deposit,
        qualificationHash: bytes32(intent.c),
        credentialExpiry: intent.expiry,
        registration: nextRegistration(history, candidate(intent.c)) - (intent.stale ? 2 : 0),
      };
    case "renew":
      return {
        kind: "CredentialsRenewed",
        candidate: candidate(intent.c),
        qualificationHash: bytes32(intent.c + 100),
        credentialExpiry: intent.expiry,
      };
    case "remove":
      return {
        kind: "CandidateRemoved",
        candidate: candidate(intent.c),
        reason: intent.reason as RemovalReason,
        remover: operator(0),
        revocationReason: bytes32(intent.reason),
        refundableAt: 30n,
      };
    case "refund": {
      // Refund one of the removed candidates if there is one (else any), so that refunds and
      // re-registrations happen; an exact refund pays what the deposit holds to its operator, an
      // inexact one 1 wei less.
      const all = Array.from({ length: CANDIDATES }, (_, i) => candidate(i));
      const removed = all.filter((c) => statusOf(history, c) === "removed");
      const target = removed.length > 0 ? removed[intent.c % removed.length] : all[intent.c];
      const amount = depositOf(history, target) - (intent.exact ? 0n : 1n);
      const by = lastRegistration(history, target)?.operator ?? operator(0);
      return { kind: "RefundCredited", candidate: target, operator: by, amount };
    }
    case "slash":
      return {
        kind: "CandidateSlashed",
        candidate: candidate(intent.c),
        evidenceHash: bytes32(intent.c + 200),
        amount: intent.amount,
        submitter: operator(1),
      };
    case "rotate": {
      // Keys are candidate addresses (so some are taken) or two spare keys.
      const key = intent.key < CANDIDATES ? candidate(intent.key) : addr(0x6e, intent.key);
      const c = candidate(intent.c);
      return { kind: "SigningKeyRotated", candidate: c, oldKey: signingKeyOf(history, c), newKey: key };
    }
    case "vote": {
      const c = candidate(intent.c);
      const current = lastRegistration(history, c)?.registration ?? 1;
      return { kind: "VoteCast", voter: voter(intent.v), candidate: c, registration: current - (intent.stale ? 2 : 0) };
    }
    case "revoke": {
      // Mostly one of the voter's own approvals (live or dead), so that revokes happen.
      const all = Array.from({ length: CANDIDATES }, (_, i) => candidate(i));
      const approved = all.filter((c) => approves(history, voter(intent.v), c));
      const c = approved.length > 0 && intent.c > 0 ? approved[intent.c % approved.length] : candidate(intent.c);
      const held = approvalOf(history, voter(intent.v), c) ?? lastRegistration(history, c)?.registration ?? 1;
      return { kind: "VoteRevoked", voter: voter(intent.v), candidate: c, registration: held };
    }
    case "power": {
      const previousVotes = powerOf(history, voter(intent.v)) + (intent.gap ? 1n : 0n);
      return { kind: "DelegateVotesChanged", delegate: voter(intent.v), previousVotes, newVotes: intent.votes };
    }
    case "rule":
      return {
        kind: "RepresentativeRuleChanged",
        newMinRepresentatives: intent.min,
        newMaxRepresentatives: intent.min > intent.max ? intent.min : intent.max,
        newCandidatesPerSeat: intent.perSeat,
      };
    case "minDeposit":
      return { kind: "MinDepositChanged", newMinDeposit: intent.value };
    case "auditor":
      return { kind: intent.add ? "AuditorAdded" : "AuditorRemoved", auditor: addr(AUDITOR, intent.a) };
  }
}

/**
 * Applies each intent's event one by one. The reducer must accept exactly the events the naive
 * model accepts, and a rejected event must leave the state unchanged.
 */
function replay(intents: Intent[]): {
  state: RegistryState;
  accepted: RegistryEventBody[];
  rejected: RegistryEventBody[];
} {
  const state = emptyRegistryState();
  const accepted: RegistryEventBody[] = [];
  const rejected: RegistryEventBody[] = [];
  for (const intent of intents) {
    const e = toEvent(intent, accepted);
    const valid = naiveAccepts(accepted, e);
    const before = valid ? undefined : stateDigest(state);
    try {
      applyEvent(state, e);
    } catch (err) {
      expect(err, `${e.kind} threw something else`).to.be.instanceOf(RegistryError);
      if (valid) expect.fail(`${e.kind} wrongly rejected: ${String(err)}`);
      expect(stateDigest(state), `${e.kind} rejected but changed the state`).to.equal(before);
      rejected.push(e);
      continue;
    }
    if (!valid) expect.fail(`${e.kind} wrongly accepted: ${json(e)}`);
    accepted.push(e);
  }
  return { state, accepted, rejected };
}

/** Runs per property: small by default (shared CI machine); `npm run test:election:campaign` runs many. */
const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 40);

const arbSnapshotTimes = fc.array(fc.bigInt({ min: 0n, max: BigInt(EXPIRY_MAX + 1) }), { minLength: 1, maxLength: 4 });

describe("incremental tally and election against a naive recount", () => {
  it("accepts and rejects the same events, and elects the same representatives", () => {
    fc.assert(
      fc.property(arbIntents, arbSnapshotTimes, (intents, snapshotTimes) => {
        const { state, accepted } = replay(intents);
        for (const t of snapshotTimes) {
          const { k, representatives, eligibleCount, shortfall } = elect(state, t);
          expect(json({ k, representatives, eligibleCount, shortfall })).to.equal(json(naiveElect(accepted, t)));
        }
        const tally = snapshotRegistryState(state).candidates.map((c) => [c.address, c.votes]);
        const naiveTally = naiveStandings(accepted, 0n)
          .map((s) => [s.address, s.votes])
          .sort(([a], [b]) => (a < b ? -1 : 1));
        expect(json(tally)).to.equal(json(naiveTally));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("reaches the same state whatever the batching, and a batch with a bad event changes nothing", () => {
    fc.assert(
      fc.property(arbIntents, fc.array(fc.nat({ max: 60 })), (intents, cuts) => {
        const { state, accepted, rejected } = replay(intents);
        const batched = emptyRegistryState();
        const bounds = [...new Set([0, ...cuts.map((c) => c % (accepted.length + 1)), accepted.length])].sort(
          (a, b) => a - b,
        );
        for (let i = 1; i < bounds.length; i++) applyEvents(batched, accepted.slice(bounds[i - 1], bounds[i]));
        expect(stateDigest(batched)).to.equal(stateDigest(state));

        const bad = rejected.find((e) => !naiveAccepts(accepted, e));
        if (bad === undefined) return;
        const prefix = emptyRegistryState();
        const head = accepted.slice(0, bounds[1] ?? 0);
        applyEvents(prefix, head);
        const before = stateDigest(prefix);
        expect(() => applyEvents(prefix, [...accepted.slice(head.length), bad])).to.throw(RegistryError);
        expect(stateDigest(prefix)).to.equal(before);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe("the random event sequences", () => {
  it("reach the cases the election rules are about", () => {
    const seen = new Set<string>();
    for (const intents of fc.sample(arbIntents, { numRuns: 60, seed: 42 })) {
      const { accepted } = replay(intents);
      accepted.forEach((e, i) => {
        const before = accepted.slice(0, i);
        if (
          e.kind === "CandidateRegistered" &&
          before.some((p) => p.kind === "RefundCredited" && p.candidate === e.candidate)
        ) {
          seen.add("re-registration");
        }
        if (e.kind === "VoteRevoked" && statusOf(before, e.candidate) === "removed")
          seen.add("revoke of a removed candidate");
        if (
          e.kind === "CandidateRegistered" &&
          before.some((p) => p.kind === "VoteCast" && approves(before, p.voter, e.candidate))
        ) {
          seen.add("re-registration with dead approvals");
        }
        if (e.kind === "DelegateVotesChanged" && before.some((p) => p.kind === "VoteCast" && p.voter === e.delegate)) {
          seen.add("power change of a voter");
        }
        if (e.kind === "CandidateSlashed") seen.add("slashing");
        if (e.kind === "SigningKeyRotated") seen.add("key rotation");
      });
      const result = naiveElect(accepted, 0n);
      if (result.shortfall > 0n) seen.add("fewer than k eligible");
      if (result.k > 0n && result.shortfall === 0n && result.eligibleCount > Number(result.k))
        seen.add("more eligible than k");
      const votes = result.representatives.map((r) => r.votes);
      if (new Set(votes).size < votes.length) seen.add("tie among the elected");
      if (votes.some((v) => v > 1000n)) seen.add("weights beyond 2^53");
    }
    expect([...seen].sort()).to.deep.equal([
      "fewer than k eligible",
      "key rotation",
      "more eligible than k",
      "power change of a voter",
      "re-registration",
      "re-registration with dead approvals",
      "revoke of a removed candidate",
      "slashing",
      "tie among the elected",
      "weights beyond 2^53",
    ]);
  });
});
