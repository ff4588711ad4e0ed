import type { JsonRpcProvider, Provider, Signer } from "ethers";
import { CandidateRegistry__factory, VoteRegistry__factory } from "../../typechain-types";
import type { Deployment } from "../../node/types/deployment";
import type { Candidacy, NodeIdentity } from "./candidacy";
import type { NodeRpcClient } from "../../node/rpc/nodeRpcClient";

/** What the story needs: the registries, the actors, and one node to watch the epochs through. */
export interface StoryCast {
  readonly deployment: Deployment;
  readonly provider: Provider;
  readonly nodes: readonly NodeIdentity[];
  readonly voters: readonly Signer[];
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
  finished: boolean;
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
 * next elections must say (nodes: n0…n6; votes after genesis n0 4, n1 3, n2 2, n3 1):
 *   1. n4, n5, n6 apply to the auditors and register with deposits            (S201–S205)
 *   2. six voters approve n4, five approve n5  → {n4, n5, n0, n1}             (S206–S210)
 *   3. five revoke n4, six approve n6          → {n6, n5, n0, n1}             (incremental votes)
 *   4. n5 withdraws                            → {n6, n0, n1, n2}             (S211–S218)
 *   5. after the unbonding delay n5's deposit is refunded to its operator
 */
export async function playStory(cast: StoryCast, watch: NodeRpcClient, signal: AbortSignal): Promise<StoryOutcome> {
  const outcome: StoryOutcome = { representativeChanges: 0, refunds: 0, finished: false };
  const n = cast.nodes;
  const acts: { title: string; act: () => Promise<void>; expect: number[] }[] = [
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
  ];
  for (const { title, act, expect } of acts) {
    if (signal.aborted) return outcome;
    cast.say(`act: ${title}`);
    await act();
    // Wait for an election that counts every transaction of the act; a timer would race a lagging node.
    if (!(await electionCountingAct(watch, signal))) return outcome;
    const elected = (await watch.representatives()).map((r) => r.address);
    const wanted = expect.map((i) => n[i].candidate.address.toLowerCase());
    if (elected.join() !== wanted.join()) {
      cast.fail(`after "${title}" the representatives are ${names(cast, elected)}, expected ${names(cast, wanted)}`);
    } else cast.say(`representatives now ${names(cast, elected)}, as the votes say`);
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
  const receipt = await (await asOperator.refund(node.candidate.address)).wait();
  const refunded = receipt!.logs
    .map((log) => asOperator.interface.parseLog(log))
    .find((parsed) => parsed?.name === "DepositRefunded");
  if (!refunded) return cast.fail(`refund of ${node.name} emitted no DepositRefunded`);
  outcome.refunds++;
  cast.say(`${node.name}'s deposit of ${refunded.args.amount} wei was refunded to ${refunded.args.operator}`);
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
