import { expect } from "chai";
import hre from "hardhat";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { VotingToken__factory, type VotingToken } from "../../typechain-types";
import { deployGovernance } from "../../scripts/deploy";
import { Prng } from "../../node/sim/prng";
import { runCli } from "../../node/testing/cli";
import { startDevnet, type Devnet } from "../../node/testing/hardhatServer";
import { tempDir } from "../helpers/follower";
import { writeFollowerGenesis } from "../../node/testing/genesis";
import { onChainTally } from "../helpers/onChainTally";
import {
  candidateAddresses,
  L2_CHAIN_ID,
  MIN_DEPOSIT,
  registerCandidates,
  UNBONDING_SECONDS,
  type Registries,
} from "../../node/testing/registries";

/** Steps of the random history; raise with REPCHAIN_HISTORY_STEPS for a campaign. */
const STEPS = Number(process.env.REPCHAIN_HISTORY_STEPS ?? 120);
const SEED = Number(process.env.REPCHAIN_TEST_SEED ?? 20_261_130);
const UNIT = 10n ** 18n;

interface ElectJson {
  block: { number: number };
  result: { k: string; representatives: { address: string; signingKey: string; votes: string }[] };
  candidates: { address: string; votes: string; status: string }[];
}

/**
 * `repchain elect --json --at B` against a recount the test did not write by hand: a seeded random
 * history of token transfers, delegations, votes, revokes, removals, refunds and re-registrations
 * on a real Hardhat chain, then, at several blocks B, the contracts' own answer
 * (approvalsOf(voter).live at B, token.getPastVotes(voter, B)) against the node's tally.
 */
describe("repchain elect --at B against getPastVotes recounts (random history)", function () {
  this.timeout(600_000);
  let devnet: Devnet;
  let r: Registries;
  let voters: HardhatEthersSigner[];
  let configFile: string;
  const checkpoints: number[] = [];
  const candidates = candidateAddresses(6, "recount");
  const prng = new Prng(SEED);
  const random = () => prng.float();
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

  before(async function () {
    devnet = await startDevnet();
    const signers = await hre.ethers.getSigners();
    const owner = signers[0];
    voters = signers.slice(1, 9);
    // The token is older than the registries: power minted and delegated before them must count.
    const token = await new VotingToken__factory(owner).deploy("Old Vote", "OLD", owner.address);
    await token.waitForDeployment();
    for (const [i, voter] of voters.entries()) {
      await (await token.mint(voter.address, BigInt(i + 1) * 10n * UNIT)).wait();
      if (i % 3 !== 2) await (await token.connect(voter).delegate(voter.address)).wait();
    }
    const deployed = await deployGovernance(
      owner,
      {
        auditors: [new hre.ethers.Wallet(hre.ethers.id("repchain test auditor")).address],
        threshold: 1n,
        minDeposit: MIN_DEPOSIT,
        unbondingPeriod: UNBONDING_SECONDS,
        representativeRule: { minRepresentatives: 2n, maxRepresentatives: 4n, candidatesPerSeat: 2n },
        l2ChainId: L2_CHAIN_ID,
        votingToken: await token.getAddress(),
      },
      hre.network.name,
    );
    r = {
      auditors: deployed.auditorRegistry,
      candidates: deployed.candidateRegistry,
      votes: deployed.voteRegistry,
      token,
      deployment: deployed.deployment,
      auditor: new hre.ethers.Wallet(hre.ethers.id("repchain test auditor")),
    };
    expect(r.deployment.votingTokenDeploymentBlock).to.be.below(r.deployment.deploymentBlock);
    await registerCandidates(r, candidates);
    await playRandomHistory(token, owner);

    const dir = tempDir("repchain-recount-");
    writeFileSync(join(dir, "deployment.json"), JSON.stringify(r.deployment));
    writeFollowerGenesis(join(dir, "genesis.json"), r.deployment, 0);
    configFile = join(dir, "node.json");
    writeFileSync(
      configFile,
      JSON.stringify({ rpcUrl: devnet.url, deployment: "deployment.json", genesis: "genesis.json", dataDir: "node" }),
    );
    await hre.network.provider.send("evm_mine", []); // getPastVotes needs B in the past
  });

  after(async function () {
    await devnet.stop();
  });

  /** One random step that the contracts accept; the block after it is a checkpoint now and then. */
  async function playRandomHistory(token: VotingToken, operator: HardhatEthersSigner): Promise<void> {
    const counts: Record<string, number> = {};
    for (let step = 0; step < STEPS; step++) {
      const done = await randomStep(token, operator);
      counts[done] = (counts[done] ?? 0) + 1;
      if (step % 15 === 14) checkpoints.push(await hre.ethers.provider.getBlockNumber());
    }
    // The history must contain every kind of change the rule is about.
    for (const kind of ["transfer", "delegate", "vote", "revoke", "withdraw", "refund", "re-register"]) {
      expect(counts[kind] ?? 0, `seed ${SEED}: ${JSON.stringify(counts)}`).to.be.greaterThan(0);
    }
  }

  async function randomStep(token: VotingToken, operator: HardhatEthersSigner): Promise<string> {
    const roll = random();
    const voter = pick(voters);
    if (roll < 0.15) {
      const balance = await token.balanceOf(voter.address);
      const amount = (balance * BigInt(Math.floor(random() * 100))) / 100n;
      await (await token.connect(voter).transfer(pick(voters).address, amount)).wait();
      return "transfer";
    }
    if (roll < 0.27) {
      await (await token.connect(voter).delegate(pick(voters).address)).wait();
      return "delegate";
    }
    if (roll < 0.82) return voteOrRevoke(voter);
    return lifecycleStep(operator);
  }

  /** Approves an active candidate the voter does not approve live (a dead approval is replaced), else revokes. */
  async function voteOrRevoke(voter: HardhatEthersSigner): Promise<string> {
    const candidate = pick(candidates);
    const held = (await r.votes.approvalsOf(voter.address)).find((a) => a.candidate === candidate);
    const active = await r.candidates.isCandidate(candidate);
    if (active && held?.live !== true && random() < 0.7) {
      await (await r.votes.connect(voter).vote([candidate], [])).wait();
      return "vote";
    }
    if (held === undefined) return "nothing";
    await (await r.votes.connect(voter).vote([], [candidate])).wait();
    return "revoke";
  }

  /** Withdraws an active candidate, refunds a removed one after its unbonding delay, or registers a refunded one again. */
  async function lifecycleStep(operator: HardhatEthersSigner): Promise<string> {
    const candidate = pick(candidates);
    const { status } = await r.candidates.getCandidate(candidate);
    // Contract statuses: 1 Active, 2 Withdrawn, 3 Revoked, 4 Refunded.
    if (status === 1n) {
      // Keep at least two candidates in the race.
      const active = await Promise.all(candidates.map((c) => r.candidates.isCandidate(c)));
      if (active.filter(Boolean).length <= 2) return "nothing";
      await (await r.candidates.connect(operator).withdraw(candidate)).wait();
      return "withdraw";
    }
    if (status === 2n || status === 3n) {
      await hre.network.provider.send("evm_increaseTime", [Number(UNBONDING_SECONDS) + 1]);
      await (await r.candidates.refund(candidate)).wait();
      return "refund";
    }
    await registerCandidates(r, [candidate]);
    return "re-register";
  }

  async function electAt(block: number): Promise<ElectJson> {
    const run = await runCli(["elect", "--config", configFile, "--json", "--at", String(block), "--log-level", "warn"]);
    expect(run.code, run.stderr).to.equal(0);
    return JSON.parse(run.stdout) as ElectJson;
  }

  it(`the node's votes at each checkpoint equal the on-chain recount (seed ${SEED})`, async function () {
    expect(checkpoints.length).to.be.at.least(3);
    // Three CLI runs (each a process that syncs from the token's deployment); the first, a middle and the last.
    for (const block of [checkpoints[0], checkpoints[Math.floor(checkpoints.length / 2)], checkpoints.at(-1)!]) {
      const report = await electAt(block);
      expect(report.block.number).to.equal(block);
      const recount = await onChainTally(
        r,
        voters.map((v) => v.address),
        block,
      );
      const nodeVotes = new Map(
        report.candidates.filter((c) => c.votes !== "0").map((c) => [c.address, BigInt(c.votes)] as const),
      );
      expect(nodeVotes, `seed ${SEED}, block ${block}`).to.deep.equal(recount);
      // The elected are the top K of the recount, K by the registry's own rule at that block.
      const active = [];
      for (const c of candidates) {
        if (await r.candidates.isCandidate(c, { blockTag: block })) active.push(c.toLowerCase());
      }
      const k = await r.candidates.representativeCount(active.length, { blockTag: block });
      expect(report.result.k).to.equal(k.toString());
      const ranked = active
        .map((address) => ({ address, votes: recount.get(address) ?? 0n }))
        .sort((a, b) => (a.votes !== b.votes ? (a.votes > b.votes ? -1 : 1) : a.address < b.address ? -1 : 1))
        .slice(0, Number(k));
      expect(report.result.representatives.map((e) => [e.address, e.votes])).to.deep.equal(
        ranked.map((e) => [e.address, e.votes.toString()]),
      );
    }
  });
});
