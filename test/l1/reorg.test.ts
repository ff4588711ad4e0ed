import { expect } from "chai";
import { rmSync } from "node:fs";
import hre from "hardhat";
import { takeSnapshot } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { stateDigest } from "../../node/registry";
import { L1Error, L1ErrorCode } from "../../node/l1/errors";
import { startDevnet, type Devnet } from "../../node/testing/hardhatServer";
import { openFollower, tempDir, type TestFollower } from "../helpers/follower";
import { memoryLogger } from "../helpers/memoryLogger";
import { rejectionOf } from "../helpers/rejects";
import { waitFor } from "../../node/testing/processCluster";
import {
  candidateAddresses,
  deployRegistries,
  registerCandidates,
  type Registries,
} from "../../node/testing/registries";

/**
 * Hardhat has no reorg RPC: a reorg is a snapshot restored, then a different history mined on
 * top of it (the follower sees the same heights with other hashes, or a shorter chain).
 */
describe("L1Follower reorgs", function () {
  const CONFIRMATIONS = 4;
  const candidates = candidateAddresses(6, "reorg");
  let devnet: Devnet;
  let r: Registries;
  let voters: HardhatEthersSigner[];
  let f: TestFollower;
  /** Every vote uses a new (voter, candidate) pair, so no history repeats one that is still approved. */
  let pair = 0;

  async function mineVoteBlock(): Promise<void> {
    const voter = voters[pair % voters.length];
    const candidate = candidates[Math.floor(pair / voters.length) % candidates.length];
    pair++;
    await (await r.votes.connect(voter).vote([candidate], [])).wait();
  }

  /** Mines `blocks` one-vote blocks, letting the follower see each one (so it keeps each header). */
  async function mineFollowed(blocks: number): Promise<void> {
    for (let i = 0; i < blocks; i++) {
      await mineVoteBlock();
      await f.sync();
    }
  }

  /** A new follower on a new store, from the deployment block: what an uninterrupted history gives. */
  async function expectEqualsReplayFromScratch(): Promise<void> {
    const fresh = await openFollower(devnet.url, r.deployment, { confirmations: CONFIRMATIONS });
    try {
      await fresh.sync();
      expect(await f.store.events.inBlockRange(-1, Number.MAX_SAFE_INTEGER)).to.deep.equal(
        await fresh.store.events.inBlockRange(-1, Number.MAX_SAFE_INTEGER),
      );
      expect(f.follower.progress.cursor).to.deep.equal(fresh.follower.progress.cursor);
      // The confirmed head never goes back, even when the chain got shorter, so the old follower's
      // may be ahead of a fresh one's: compare the confirmed prefix against the fresh full store.
      const head = f.follower.confirmed.head!.number;
      const replayed = await fresh.store.events.inBlockRange(-1, head);
      expect(await f.follower.eventsInRange(-1, head)).to.deep.equal(replayed);
      expect(stateDigest(f.follower.confirmed.state)).to.equal(
        stateDigest(await stateAt(fresh, f.follower.confirmed.head!.number)),
      );
    } finally {
      await fresh.close();
    }
  }

  before(async function () {
    devnet = await startDevnet();
    r = await deployRegistries();
    await registerCandidates(r, candidates);
    voters = (await hre.ethers.getSigners()).slice(1, 11);
    f = await openFollower(devnet.url, r.deployment, { confirmations: CONFIRMATIONS, dir: tempDir() });
    await mineFollowed(CONFIRMATIONS + 2);
  });

  after(async function () {
    await f.close();
    rmSync(f.dir, { recursive: true, force: true });
    await devnet.stop();
  });

  for (let depth = 1; depth <= CONFIRMATIONS; depth++) {
    // Odd depths: the new history is longer; even: shorter than the old one (the head goes back).
    const replacement = depth % 2 === 1 ? depth + 1 : depth - 1;
    it(`rewinds a reorg of depth ${depth} (new history of ${replacement} blocks) and replays it`, async function () {
      await f.sync();
      const snapshot = await takeSnapshot();
      await mineFollowed(depth);
      const confirmedBefore = f.follower.confirmed.head!;
      await snapshot.restore();
      for (let i = 0; i < replacement; i++) await mineVoteBlock();
      await f.sync();
      expect(f.follower.confirmed.head!.number).to.be.at.least(confirmedBefore.number);
      await f.store.checkConsistency();
      await expectEqualsReplayFromScratch();
      // A restart keeps the confirmed head where it was (it is stored, not recomputed).
      const confirmed = f.follower.confirmed.head;
      const digest = stateDigest(f.follower.confirmed.state);
      await f.close();
      f = await openFollower(devnet.url, r.deployment, { confirmations: CONFIRMATIONS, dir: f.dir });
      await f.follower.load();
      expect(f.follower.confirmed.head).to.deep.equal(confirmed);
      expect(stateDigest(f.follower.confirmed.state)).to.equal(digest);
    });
  }

  it("a range read ahead while the previous one was written, then reorged away, is rewound like any other", async function () {
    await f.sync();
    const { logger, lines } = memoryLogger();
    // Ranges of 2 blocks: each step reads the next range while it writes its own.
    const g = await openFollower(devnet.url, r.deployment, { confirmations: CONFIRMATIONS, maxBlockRange: 2, logger });
    try {
      await g.sync();
      const cursor = g.follower.progress.cursor!.number;
      const snapshot = await takeSnapshot();
      for (let i = 0; i < 4; i++) await mineVoteBlock();
      expect(await g.follower.step()).to.equal("advanced");
      await waitFor("the next range read ahead", 10_000, async () =>
        lines.some((l) => l.msg === "range read ahead" && l.from === cursor + 3 && l.to === cursor + 4),
      );
      // The two blocks read ahead are replaced by another history of three.
      await snapshot.restore();
      for (let i = 0; i < 3; i++) await mineVoteBlock();
      await g.sync();
      expect(lines.some((l) => l.msg === "L1 reorg: rewound to the common ancestor")).to.equal(true);
      await g.store.checkConsistency();
      const fresh = await openFollower(devnet.url, r.deployment, { confirmations: CONFIRMATIONS });
      try {
        await fresh.sync();
        expect(g.follower.progress.cursor).to.deep.equal(fresh.follower.progress.cursor);
        const all = [-1, Number.MAX_SAFE_INTEGER] as const;
        expect(await g.store.events.inBlockRange(...all)).to.deep.equal(await fresh.store.events.inBlockRange(...all));
        expect(stateDigest(g.follower.confirmed.state)).to.equal(
          stateDigest(await stateAt(fresh, g.follower.confirmed.head!.number)),
        );
      } finally {
        await fresh.close();
      }
    } finally {
      await g.close();
    }
  });

  it("halts with DEEP_REORG, store untouched, when a reorg reaches a confirmed block", async function () {
    await f.sync();
    const snapshot = await takeSnapshot();
    await mineFollowed(CONFIRMATIONS + 1);
    const cursor = await f.store.cursor.get();
    const events = await f.store.events.inBlockRange(-1, Number.MAX_SAFE_INTEGER);
    await snapshot.restore();
    for (let i = 0; i < CONFIRMATIONS + 2; i++) await mineVoteBlock();
    const err = await rejectionOf(f.sync());
    expect(err).to.be.instanceOf(L1Error);
    expect((err as L1Error).type.code).to.equal(L1ErrorCode.DEEP_REORG);
    expect((err as L1Error).retryable).to.equal(false);
    expect(await f.store.cursor.get()).to.deep.equal(cursor);
    expect(await f.store.events.inBlockRange(-1, Number.MAX_SAFE_INTEGER)).to.deep.equal(events);
  });
});

/** The governance state after the stored events up to `block`, rebuilt from scratch. */
async function stateAt(f: TestFollower, block: number) {
  const { applyEvents, emptyRegistryState } = await import("../../node/registry");
  const state = emptyRegistryState();
  applyEvents(state, await f.store.events.inBlockRange(-1, block));
  return state;
}
