import { parseEther, type JsonRpcProvider, type Provider, type Signer } from "ethers";
import { CandidateRegistry__factory, VoteRegistry__factory, VotingToken__factory } from "../../typechain-types";
import type { Deployment } from "../../node/types/deployment";
import type { Candidacy, NodeIdentity } from "./candidacy";
import type { NodeRpcClient } from "../../node/rpc/nodeRpcClient";

/** What the story needs: the registries, the actors, and one node to watch the epochs through. */
export interface StoryCast {
  readonly deployment: Deployment;
  readonly provider: Provider;
  readonly nodes: readonly NodeIdentity[];
  readonly voters: readonly Signer[];
  /** The owner of the devnet's VotingToken: it mints each voter's voting power. */
  readonly minter: Signer;
  readonly candidacy: Candidacy;
  /** L1 time is moved forward over the unbonding delay rather than waited out. */
  readonly unbondingPeriodSeconds: bigint;
  readonly l1NowSeconds: () => Promise<bigint>;
  readonly say: (line: string) => void;
  /** A step whose outcome differs from what the votes say: logged as an error line. */
  readonly fail: (line: string) => void;
}

export interface StoryOutcome {
  /** Elections whose representative set differed from the previous epoch's. */
  representativeChanges: number;
  refunds: number;
  /** Votes are weighed by the voting token (each voter holds VOTER_TOKENS, delegated to itself). */
  weightedVotes: boolean;
  /** The act where voters delegate their tokens to another voter changed the elected set as expected. */
  delegationChangedSet: boolean;
  /** The act where voters transfer their tokens away changed the elected set at the next epoch as expected. */
  transferChangedSet: boolean;
  finished: boolean;
}

/** The outcome of a story that did not run (or did not get far). */
export function noOutcome(): StoryOutcome {
  return {
    representativeChanges: 0,
    refunds: 0,
    weightedVotes: false,
    delegationChangedSet: false,
    transferChangedSet: false,
    finished: false,
  };
}

/** What each voter is minted and delegates to itself: votes are these token units, not heads. */
export const VOTER_TOKENS = parseEther("100");

/** Mints every voter VOTER_TOKENS and has it delegate to itself (an undelegated token carries no votes). */
export async function mintVotingPower(cast: StoryCast): Promise<void> {
  const token = VotingToken__factory.connect(cast.deployment.votingToken, cast.minter);
  for (const voter of cast.voters) {
    await (await token.mint(await voter.getAddress(), VOTER_TOKENS)).wait();
    await (await token.connect(voter).delegate(await voter.getAddress())).wait();
  }
  cast.say(`${cast.voters.length} voters hold 100 voting tokens each, delegated to themselves`);
}

/** Votes at genesis: node i gets 4 − i approvals, so nodes 0–3 are the first representatives. */
export const GENESIS_VOTES: readonly (readonly number[])[] = [[0, 1, 2, 3], [0, 1, 2], [0, 1], [0]];

/** The story's actors beyond genesis: three newcomers and eleven voters. */
export const STORY_MIN_NODES = 7;
export const STORY_VOTERS = 11;

/** Registers the genesis representatives through the auditors and casts the genesis votes. */
export async function registerGenesis(cast: StoryCast): Promise<void> {
  for (const node of cast.nodes.slice(0, 4)) {
    await cast.candidacy.register(node);
    cast.say(`${node.name} applied to the auditors and registered with its deposit`);
  }
  for (const [v, picks] of GENESIS_VOTES.entries()) {
    await vote(cast, v, picks, []);
  }
}

/**
 * The patent's story after genesis, one act per epoch or two, each checked against what the
 * next elections must say. Every voter holds 100 tokens delegated to itself, so a vote weighs 100
 * units (nodes: n0…n6; after genesis n0 400, n1 300, n2 200, n3 100):
 *   1. n4, n5, n6 apply to the auditors and register with deposits            (S201–S205)
 *   2. six voters approve n4, five approve n5  → {n4 600, n5 500, n0, n1}     (S206–S210)
 *   3. five revoke n4, six approve n6          → {n6 600, n5 500, n0, n1}     (incremental votes)
 *   4. n5 withdraws                            → {n6 600, n0, n1, n2 200}     (S211–S218)
 *   5. after the unbonding delay n5's deposit is credited to its operator, who withdraws it
 *   6. v5–v8 delegate their tokens to v9, who approves n4 and n6
 *                                              → {n6 600, n4 500, n0, n1}     (delegation)
 *   7. v5–v8 transfer their tokens to v10, who approves only n6: v9's delegated power is gone
 *                                              → {n6 600, n0, n1, n2}         (transfer)
 */
export async function playStory(cast: StoryCast, watch: NodeRpcClient, signal: AbortSignal): Promise<StoryOutcome> {
  const outcome: StoryOutcome = { ...noOutcome(), weightedVotes: true };
  const n = cast.nodes;
  const acts: { title: string; act: () => Promise<void>; expect: number[]; changed?: () => void }[] = [
    {
      title: "n4, n5, n6 apply to the auditors and register",
      act: async () => {
        for (const node of n.slice(4, 7)) {
          await cast.candidacy.register(node);
          cast.say(`${node.name} registered as a candidate`);
        }
      },
      expect: [0, 1, 2, 3],
    },
    {
      title: "voters v4–v9 approve n4, v4–v8 approve n5",
      act: async () => {
        for (let v = 4; v <= 9; v++) await vote(cast, v, v <= 8 ? [4, 5] : [4], []);
      },
      expect: [4, 5, 0, 1],
    },
    {
      title: "v4–v8 revoke n4; v5–v10 approve n6",
      act: async () => {
        for (let v = 4; v <= 10; v++) await vote(cast, v, v >= 5 ? [6] : [], v <= 8 ? [4] : []);
      },
      expect: [6, 5, 0, 1],
    },
    { title: "n5 withdraws its candidacy", act: () => withdraw(cast, 5), expect: [6, 0, 1, 2] },
    { title: "n5's unbonding delay ends: refund", act: () => refund(cast, outcome, 5), expect: [6, 0, 1, 2] },
    {
      title: "v5–v8 delegate their voting tokens to v9",
      act: async () => {
        for (let v = 5; v <= 8; v++) await delegate(cast, v, 9);
      },
      expect: [6, 4, 0, 1],
      changed: () => (outcome.delegationChangedSet = true),
    },
    {
      title: "v5–v8 transfer their voting tokens to v10",
      act: async () => {
        for (let v = 5; v <= 8; v++) await transferAll(cast, v, 10);
      },
      expect: [6, 0, 1, 2],
      changed: () => (outcome.transferChangedSet = true),
    },
  ];
  for (const { title, act, expect, changed } of acts) {
    if (signal.aborted) return outcome;
    cast.say(`act: ${title}`);
    await act();
    // Wait for an election that counts every transaction of the act; a timer would race a lagging node.
    if (!(await electionCountingAct(watch, signal))) return outcome;
    const elected = (await watch.representatives()).map((r) => r.address);
    const wanted = expect.map((i) => n[i].candidate.address.toLowerCase());
    if (elected.join() !== wanted.join()) {
      cast.fail(`after "${title}" the representatives are ${names(cast, elected)}, expected ${names(cast, wanted)}`);
    } else {
      cast.say(`representatives now ${names(cast, elected)}, as the votes say`);
      changed?.();
    }
  }
  outcome.representativeChanges = (await watch.elections(100)).filter((e) => e.added.length > 0).length;
  outcome.finished = true;
  cast.say(`story complete: ${outcome.representativeChanges} representative-set changes, ${outcome.refunds} refund(s)`);
  return outcome;
}

async function vote(cast: StoryCast, voter: number, add: readonly number[], revoke: readonly number[]): Promise<void> {
  const addr = (i: number) => cast.nodes[i].candidate.address;
  const registry = VoteRegistry__factory.connect(cast.deployment.voteRegistry, cast.voters[voter]);
  await (await registry.vote(add.map(addr), revoke.map(addr))).wait();
  const parts = [...add.map((i) => `+${cast.nodes[i].name}`), ...revoke.map((i) => `−${cast.nodes[i].name}`)];
  cast.say(`voter v${voter} votes ${parts.join(" ")}`);
}

async function delegate(cast: StoryCast, from: number, to: number): Promise<void> {
  const token = VotingToken__factory.connect(cast.deployment.votingToken, cast.voters[from]);
  await (await token.delegate(await cast.voters[to].getAddress())).wait();
  cast.say(`voter v${from} delegates its voting tokens to v${to}`);
}

async function transferAll(cast: StoryCast, from: number, to: number): Promise<void> {
  const token = VotingToken__factory.connect(cast.deployment.votingToken, cast.voters[from]);
  const balance = await token.balanceOf(await cast.voters[from].getAddress());
  await (await token.transfer(await cast.voters[to].getAddress(), balance)).wait();
  cast.say(`voter v${from} transfers its ${balance / 10n ** 18n} voting tokens to v${to}`);
}

async function withdraw(cast: StoryCast, index: number): Promise<void> {
  const node = cast.nodes[index];
  const asOperator = CandidateRegistry__factory.connect(cast.deployment.candidateRegistry, node.operator);
  await (await asOperator.withdraw(node.candidate.address)).wait();
  cast.say(`${node.name} withdrew; its deposit unbonds for ${cast.unbondingPeriodSeconds} s`);
}

async function refund(cast: StoryCast, outcome: StoryOutcome, index: number): Promise<void> {
  const node = cast.nodes[index];
  const asOperator = CandidateRegistry__factory.connect(cast.deployment.candidateRegistry, node.operator);
  const { refundableAt } = await asOperator.getCandidate(node.candidate.address);
  // Hardhat lets the devnet skip the wait: L1 time jumps to the end of the unbonding delay.
  const skip = refundableAt - (await cast.l1NowSeconds()) + 1n;
  const rpc = cast.provider as JsonRpcProvider;
  if (skip > 0n) await rpc.send("evm_increaseTime", [Number(skip)]);
  await rpc.send("evm_mine", []);
  // Anyone may settle the refund: it credits the deposit to the operator, who pulls it.
  const credited = await eventOf(asOperator, await asOperator.refund(node.candidate.address), "RefundCredited");
  if (!credited) return cast.fail(`refund of ${node.name} emitted no RefundCredited`);
  const operator = await node.operator.getAddress();
  const paid = await eventOf(asOperator, await asOperator.withdrawRefund(operator), "RefundWithdrawn");
  if (!paid) return cast.fail(`${node.name}'s operator withdrew nothing`);
  outcome.refunds++;
  cast.say(
    `${node.name}'s deposit of ${credited.args.amount} wei was credited to its operator ${operator}, who withdrew it`,
  );
}

/**
 * Resolves true once `watch` has held an election that counts every L1 transaction sent so far. A
 * block imports the L1 events confirmed when it was proposed, and the election is in the epoch's
 * last block, so two elections later every transaction of the act is counted (with L1 blocks no
 * slower than L2 blocks and epochs longer than the confirmation depth).
 */
async function electionCountingAct(watch: NodeRpcClient, signal: AbortSignal): Promise<boolean> {
  const epoch = (await watch.status()).epoch;
  return pollUntil(signal, async () => (await watch.status()).epoch >= epoch + 2);
}

/** Polls `check` until it holds (true) or the signal aborts (false). */
export async function pollUntil(
  signal: AbortSignal,
  check: () => Promise<boolean>,
  intervalMs = 250,
): Promise<boolean> {
  while (!signal.aborted) {
    if (await check().catch(() => false)) return true;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return false;
}

function names(cast: StoryCast, addresses: readonly string[]): string {
  const byAddress = new Map(cast.nodes.map((n) => [n.candidate.address.toLowerCase(), n.name]));
  return `{${addresses.map((a) => byAddress.get(a) ?? a).join(", ")}}`;
}

/** The first log named `name` that `tx` emitted from `contract`, parsed. */
async function eventOf(
  contract: ReturnType<typeof CandidateRegistry__factory.connect>,
  tx: { wait(): Promise<{ logs: readonly { topics: readonly string[]; data: string }[] } | null> },
  name: string,
) {
  const receipt = await tx.wait();
  return receipt!.logs
    .map((log) => contract.interface.parseLog({ topics: [...log.topics], data: log.data }))
    .find((parsed) => parsed?.name === name);
}
