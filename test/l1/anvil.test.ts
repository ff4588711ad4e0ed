import { expect } from "chai";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { JsonRpcProvider, type JsonRpcSigner } from "ethers";
import { stateDigest } from "../../node/registry";
import { representativeCount } from "../../node/election/representativeCount";
import { L1Error, L1ErrorCode } from "../../node/l1/errors";
import { startAnvil, type Anvil } from "../../node/testing/anvil";
import { finished, spawnCli, waitForLog } from "../../node/testing/cli";
import { writeFollowerGenesis } from "../../node/testing/genesis";
import {
  candidateAddresses,
  deployRegistries,
  givePower,
  registerCandidates,
  type Registries,
} from "../../node/testing/registries";
import { openFollower, tempDir, type TestFollower } from "../helpers/follower";
import { onChainTally } from "../helpers/onChainTally";
import { rejectionOf } from "../helpers/rejects";

/**
 * The L1 follower and `repchain follow` on Anvil (Foundry's Rust L1): the same registries, deployed
 * by the same code, followed by the same node code as on Hardhat — and real reorgs with `anvil_reorg`
 * (which Hardhat lacks), inside and beyond the confirmation window.
 */
describe("L1 follower on Anvil, a second Ethereum client", function () {
  this.timeout(120_000);
  const CONFIRMATIONS = 3;
  const candidates = candidateAddresses(6, "anvil");
  let anvil: Anvil;
  let provider: JsonRpcProvider;
  let r: Registries;
  let voters: JsonRpcSigner[];
  let pair = 0;

  /** One block with one vote: the next (voter, candidate) pair approved, or revoked if it stands. */
  async function voteBlock(): Promise<void> {
    const voter = voters[pair % voters.length];
    const candidate = candidates[Math.floor(pair / voters.length) % candidates.length];
    pair++;
    const standing = (await r.votes.votesOf(voter.address)).some((a) => a.toLowerCase() === candidate.toLowerCase());
    await (await r.votes.connect(voter).vote(standing ? [] : [candidate], standing ? [candidate] : [])).wait();
  }

  /** Mines `blocks` one-vote blocks, the follower seeing each (so it keeps each block's header). */
  async function voteFollowed(f: TestFollower, blocks: number): Promise<void> {
    for (let i = 0; i < blocks; i++) {
      await voteBlock();
      await f.sync();
    }
  }

  /** What a follower reading the history from scratch holds now. */
  async function replayFromScratch(): Promise<{ events: unknown[]; digest: string; head: number }> {
    const fresh = await openFollower(anvil.url, r.deployment, { confirmations: CONFIRMATIONS });
    try {
      await fresh.sync();
      return {
        events: await fresh.store.events.inBlockRange(-1, Number.MAX_SAFE_INTEGER),
        digest: stateDigest(fresh.follower.confirmed.state),
        head: fresh.follower.confirmed.head!.number,
      };
    } finally {
      await fresh.close();
    }
  }

  before(async function () {
    anvil = await startAnvil();
    provider = new JsonRpcProvider(anvil.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
    provider.pollingInterval = 20;
    const [owner, ...rest] = await Promise.all([0, 1, 2, 3].map((i) => provider.getSigner(i)));
    voters = rest;
    r = await deployRegistries(4n, owner, "anvil");
    await registerCandidates(r, candidates);
    await givePower(r, voters, 2n);
  });

  after(async function () {
    provider?.destroy();
    await anvil?.stop();
  });

  it("follows the registries deployed on Anvil: the tally equals the contracts' own recount", async function () {
    for (let i = 0; i < 6; i++) await voteBlock();
    const f = await openFollower(anvil.url, r.deployment, { maxBlockRange: 3 });
    try {
      await f.sync();
      const { state } = f.follower.confirmed;
      const eligible = [...state.candidates.values()].filter((c) => c.status === "active").length;
      expect(eligible).to.equal(candidates.length);
      expect(representativeCount(state.parameters, eligible)).to.equal(
        await r.candidates.representativeCount(eligible),
      );
      const head = f.follower.confirmed.head!.number;
      await anvil.call("evm_mine"); // getPastVotes needs the block in the past
      const recount = await onChainTally(r, await Promise.all(voters.map((v) => v.getAddress())), head);
      expect(recount.size).to.be.greaterThan(0);
      expect(new Map(state.tally)).to.deep.equal(recount);
      await f.store.checkConsistency();
    } finally {
      await f.close();
    }
  });

  it("anvil_reorg inside the confirmation window: rewound and replayed, equal to a follower from scratch", async function () {
    const f = await openFollower(anvil.url, r.deployment, { confirmations: CONFIRMATIONS });
    try {
      await f.sync();
      await voteFollowed(f, 5);
      const before = await provider.getBlock("latest");
      const storedBefore = await f.store.events.inBlockRange(-1, Number.MAX_SAFE_INTEGER);
      // The last CONFIRMATIONS blocks (votes) are replaced by as many with another vote in the first.
      const voter = await voters[0].getAddress();
      const data = r.votes.interface.encodeFunctionData("vote", [[candidates[5]], []]);
      await anvil.call("anvil_reorg", [CONFIRMATIONS, [[{ from: voter, to: await r.votes.getAddress(), data }, 0]]]);
      const after = await provider.getBlock(before!.number);
      expect(after!.hash, "the head was replaced").to.not.equal(before!.hash);
      await f.sync();
      const scratch = await replayFromScratch();
      const stored = await f.store.events.inBlockRange(-1, Number.MAX_SAFE_INTEGER);
      expect(stored, "the replaced blocks' votes are gone, the new one is in").to.not.deep.equal(storedBefore);
      expect(
        stored.filter((e) => e.blockNumber === before!.number - CONFIRMATIONS + 1).map((e) => e.kind),
      ).to.deep.equal(["VoteCast"]);
      expect(stored).to.deep.equal(scratch.events);
      expect(f.follower.confirmed.head!.number).to.equal(scratch.head);
      expect(stateDigest(f.follower.confirmed.state)).to.equal(scratch.digest);
      await f.store.checkConsistency();
    } finally {
      await f.close();
    }
  });

  it("anvil_reorg beyond the window: the follower halts with DEEP_REORG naming the block, its store untouched", async function () {
    const f = await openFollower(anvil.url, r.deployment, { confirmations: CONFIRMATIONS });
    try {
      await f.sync();
      await voteFollowed(f, CONFIRMATIONS + 3);
      const confirmed = f.follower.confirmed.head!;
      const stored = await f.store.events.inBlockRange(-1, Number.MAX_SAFE_INTEGER);
      const cursor = f.follower.progress.cursor;
      await anvil.call("anvil_reorg", [CONFIRMATIONS + 2, []]);
      const err = await rejectionOf(f.sync());
      expect(err).to.be.instanceOf(L1Error);
      const type = (err as L1Error).type;
      expect(type.code).to.equal(L1ErrorCode.DEEP_REORG);
      if (type.code !== L1ErrorCode.DEEP_REORG) return;
      expect(type.blockNumber).to.equal(confirmed.number);
      expect(type.storedHash).to.equal(confirmed.hash);
      expect(type.canonicalHash).to.equal((await provider.getBlock(confirmed.number))!.hash);
      expect(await f.store.events.inBlockRange(-1, Number.MAX_SAFE_INTEGER)).to.deep.equal(stored);
      expect(f.follower.progress.cursor).to.deep.equal(cursor);
      await f.store.checkConsistency();
    } finally {
      await f.close();
    }
  });

  it("repchain follow on Anvil: follows, and on a reorg beyond the genesis's depth exits 1 with the blocks and the action", async function () {
    const dir = tempDir("repchain-anvil-follow-");
    writeFileSync(join(dir, "deployment.json"), JSON.stringify(r.deployment));
    writeFollowerGenesis(join(dir, "genesis.json"), r.deployment, 2);
    const config = { rpcUrl: anvil.url, deployment: "deployment.json", genesis: "genesis.json", dataDir: "node" };
    writeFileSync(join(dir, "node.json"), JSON.stringify({ ...config, pollIntervalMs: 50, maxBlockRange: 1 }));
    const child = spawnCli(["follow", "--config", join(dir, "node.json"), "--log-level", "debug"]);
    const exited = finished(child);
    const head = await provider.getBlockNumber();
    await waitForLog(child, (l) => l.msg === "range committed" && Number(l.to) >= head);
    await anvil.call("anvil_reorg", [4, []]);
    const run = await exited;
    expect(run.code, run.stderr.slice(-2000)).to.equal(1);
    expect(run.stderr).to.contain("L1_DEEP_REORG");
    expect(run.stderr).to.match(/blockNumber=\d+ storedHash=0x[0-9a-f]{64} canonicalHash=0x[0-9a-f]{64}/);
    expect(run.stderr).to.contain("point rpcUrl at a healthy L1 node");
  });
});
