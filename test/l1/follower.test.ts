import { expect } from "chai";
import hre from "hardhat";
import { Interface } from "ethers";
import { stateDigest, votesFor } from "../../node/registry";
import {
  AuditorRegistry__factory,
  CandidateRegistry__factory,
  IVotes__factory,
  VoteRegistry__factory,
} from "../../typechain-types";
import { isRegistryEventKind } from "../../node/registry/events";
import { representativeCount } from "../../node/election";
import type { Address } from "../../node/types/primitives";
import { startDevnet, type Devnet } from "../../node/testing/hardhatServer";
import { openFollower } from "../helpers/follower";
import { memoryLogger } from "../helpers/memoryLogger";
import { rejectionOf } from "../helpers/rejects";
import { onChainTally } from "../helpers/onChainTally";
import {
  candidateAddresses,
  deployRegistries,
  givePower,
  registerCandidates,
  type Registries,
} from "../../node/testing/registries";

describe("L1Follower", function () {
  let devnet: Devnet;
  let r: Registries;
  const candidates = candidateAddresses(5);

  before(async function () {
    devnet = await startDevnet();
    r = await deployRegistries();
    await registerCandidates(r, candidates);
    const [, v1, v2, v3] = await hre.ethers.getSigners();
    await givePower(r, [v1, v2], 3n);
    await (await r.votes.connect(v1).vote([candidates[0], candidates[1]], [])).wait();
    await (await r.votes.connect(v2).vote([candidates[0], candidates[2]], [])).wait();
    await (await r.votes.connect(v3).vote([candidates[3]], [])).wait();
    await (await r.votes.connect(v1).vote([candidates[4]], [candidates[1]])).wait();
    await (await r.candidates.withdraw(candidates[2])).wait();
    // Power that changes after the votes moves them: v3 gets some, v2 delegates its own to v1.
    await givePower(r, [v3], 7n);
    await (await r.token.connect(v2).delegate(v1.address)).wait();
  });

  after(async function () {
    await devnet.stop();
  });

  it("stores every registry event, decoded as ethers' parseLog decodes it", async function () {
    const f = await openFollower(devnet.url, r.deployment, { maxBlockRange: 3 });
    try {
      await f.sync();
      const stored = await f.store.events.inBlockRange(-1, Number.MAX_SAFE_INTEGER);
      const logs = await hre.ethers.provider.getLogs({
        address: [
          r.deployment.auditorRegistry,
          r.deployment.candidateRegistry,
          r.deployment.voteRegistry,
          r.deployment.votingToken,
        ],
        fromBlock: Math.min(r.deployment.deploymentBlock, r.deployment.votingTokenDeploymentBlock),
      });
      const iface = new Interface(
        [
          ...AuditorRegistry__factory.abi,
          ...CandidateRegistry__factory.abi,
          ...VoteRegistry__factory.abi,
          ...IVotes__factory.abi,
        ].filter((f, i, all) => f.type !== "constructor" || all.findIndex((g) => g.type === "constructor") === i),
      );
      // Every log of a kind the node models, the token's DelegateVotesChanged included.
      const governance = logs.filter((log) => {
        const parsed = iface.parseLog(log);
        return parsed !== null && isRegistryEventKind(parsed.name);
      });
      expect(governance.some((l) => iface.parseLog(l)!.name === "DelegateVotesChanged")).to.equal(true);
      expect(stored.map((e) => `${e.blockNumber}/${e.logIndex}`)).to.deep.equal(
        governance.map((l) => `${l.blockNumber}/${l.index}`),
      );
      for (let i = 0; i < stored.length; i++) {
        const parsed = iface.parseLog(governance[i])!;
        expect(stored[i].kind).to.equal(parsed.name);
        expect(stored[i].blockHash).to.equal(governance[i].blockHash);
        // The modelled fields (an old value of a parameter change is not modelled).
        for (const input of parsed.fragment.inputs.filter((p) => p.name in stored[i])) {
          const value = (stored[i] as unknown as Record<string, unknown>)[input.name];
          const expected = parsed.args.getValue(input.name);
          expect(String(value).toLowerCase(), `${parsed.name}.${input.name}`).to.equal(
            String(typeof expected === "bigint" && input.type === "uint8" ? Number(expected) : expected).toLowerCase(),
          );
        }
      }
      await f.store.checkConsistency();
    } finally {
      await f.close();
    }
  });

  it("tallies the confirmed events into the state the contracts hold", async function () {
    const f = await openFollower(devnet.url, r.deployment);
    try {
      await f.sync();
      const { state } = f.follower.confirmed;
      const eligible = [...state.candidates.values()].filter((c) => c.status === "active").length;
      expect(representativeCount(state.parameters, eligible)).to.equal(
        await r.candidates.representativeCount(eligible),
      );
      for (const c of candidates) {
        const address = c.toLowerCase() as Address;
        // Contract statuses: 1 Active, 2 Withdrawn, 3 Revoked, 4 Refunded, 5 Slashed.
        const onChain = ["none", "active", "removed", "removed", "refunded", "removed"][
          Number((await r.candidates.getCandidate(c)).status)
        ];
        expect(state.candidates.get(address)?.status, c).to.equal(onChain);
      }
      const [, v1, v2, v3] = await hre.ethers.getSigners();
      const approved = (await r.votes.votesOf(v1.address)).map((a) => a.toLowerCase()).sort();
      expect([...state.approvals.get(v1.address.toLowerCase() as Address)!.keys()].sort()).to.deep.equal(approved);
      // v1 holds its own 3 units and v2's delegated 3: candidate 0 (approved by v1 and v2) has 6.
      expect(votesFor(state, candidates[0].toLowerCase() as Address)).to.equal(6n);
      const head = f.follower.confirmed.head!.number;
      await hre.network.provider.send("evm_mine", []);
      const recount = await onChainTally(
        r,
        [v1, v2, v3].map((v) => v.address),
        head,
      );
      expect(new Map(state.tally)).to.deep.equal(recount);
      // Resuming from the store gives the same state.
      await f.close();
      const again = await openFollower(devnet.url, r.deployment, { dir: f.dir });
      await again.sync();
      expect(stateDigest(again.follower.confirmed.state)).to.equal(stateDigest(state));
      await again.close();
    } finally {
      await f.close().catch(() => undefined);
    }
  });

  it("follows over WebSocket as over HTTP", async function () {
    const http = await openFollower(devnet.url, r.deployment, { maxBlockRange: 4 });
    const ws = await openFollower(devnet.wsUrl, r.deployment, { maxBlockRange: 4 });
    try {
      await http.sync();
      await ws.sync();
      expect(await ws.store.events.inBlockRange(-1, Number.MAX_SAFE_INTEGER)).to.deep.equal(
        await http.store.events.inBlockRange(-1, Number.MAX_SAFE_INTEGER),
      );
      expect(ws.follower.progress.cursor).to.deep.equal(http.follower.progress.cursor);
    } finally {
      await http.close();
      await ws.close();
    }
  });

  it("says once, at info, when no new L1 block comes while the newest wait for confirmations", async function () {
    let now = 0;
    const log = memoryLogger();
    const f = await openFollower(devnet.url, r.deployment, { confirmations: 2, logger: log.logger, nowMs: () => now });
    const notices = () => log.lines.filter((l) => String(l.msg).startsWith("no new L1 block"));
    try {
      await f.sync();
      now += 29_000;
      await f.follower.step();
      expect(notices()).to.have.length(0);
      now += 2_000;
      await f.follower.step();
      await f.follower.step();
      expect(notices()).to.have.length(1);
      expect(notices()[0]).to.include({ level: 30, confirmations: 2 });
      expect(notices()[0].msg).to.contain("REPCHAIN_L1_BLOCK_TIME_MS=1000 npx hardhat node");
      // The head moves: a later stall is told again.
      await hre.network.provider.send("evm_mine");
      await f.follower.step();
      now += 31_000;
      await f.follower.step();
      expect(notices()).to.have.length(2);
    } finally {
      await f.close();
    }
  });

  it("holds back the last `confirmations` blocks from consumers", async function () {
    const f = await openFollower(devnet.url, r.deployment, { confirmations: 3 });
    try {
      await f.sync();
      const head = await hre.ethers.provider.getBlockNumber();
      expect(f.follower.progress.cursor!.number).to.equal(head);
      expect(f.follower.confirmed.head!.number).to.be.at.most(head - 3);
      // Below the confirmed head only blocks with events keep their header; above it, the reorg window.
      const confirmed = f.follower.confirmed.head!.number;
      for (const h of await f.store.headers.range(undefined, undefined)) {
        expect(h.eventCount > 0 || h.number >= confirmed, `header ${h.number}`).to.equal(true);
      }
      const err = await rejectionOf(f.follower.eventsInRange(-1, head));
      expect(err).to.be.instanceOf(RangeError);
      expect(err.message).to.contain("not confirmed");
    } finally {
      await f.close();
    }
  });
});
