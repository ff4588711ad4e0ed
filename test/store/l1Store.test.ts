import { expect } from "chai";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { writeBatch } from "../../node/store/database";
import { StoreError, StoreErrorCode } from "../../node/store/errors";
import { L1Store, type StoredL1Header } from "../../node/store/l1Store";
import type { Hex } from "../../node/types/primitives";
import type { RegistryEvent } from "../../node/registry/events";
import { tempDir } from "../helpers/follower";
import { rejectionOf } from "../helpers/rejects";

const hash = (n: number, fork = 0): Hex => `0x${(n * 16 + fork).toString(16).padStart(64, "0")}`;

function header(n: number, eventCount = 0, fork = 0): StoredL1Header {
  return { number: n, hash: hash(n, fork), parentHash: hash(n - 1, fork), timestamp: 1_700_000_000 + n, eventCount };
}

function vote(block: number, logIndex: number, fork = 0): RegistryEvent {
  return {
    kind: "VoteCast",
    voter: `0x${"aa".repeat(20)}`,
    candidate: `0x${logIndex.toString(16).padStart(40, "0")}`,
    registration: 1,
    blockNumber: block,
    blockHash: hash(block, fork),
    transactionHash: `0x${"bb".repeat(32)}`,
    logIndex,
  };
}

describe("L1Store", function () {
  let dir: string;
  let store: L1Store;

  beforeEach(async function () {
    dir = tempDir("repchain-store-");
    store = await L1Store.open(join(dir, "db"));
  });

  afterEach(async function () {
    await store.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  /** Blocks 10..20: events in 12 (two) and 15 (one), headers kept for those and every range end. */
  async function ingest(): Promise<void> {
    await store.advance({ events: [], headers: [header(10)], cursor: header(10), pruneHeaders: [] });
    await store.advance({
      events: [vote(12, 0), vote(12, 3), vote(15, 1)],
      headers: [header(12, 2), header(15, 1), header(16)],
      cursor: header(16),
      pruneHeaders: [],
    });
    await store.advance({
      events: [],
      headers: [header(20)],
      cursor: header(20),
      pruneHeaders: [10],
      confirmed: header(15),
    });
  }

  it("stores events, headers and the cursor, and reads them back in L1 order", async function () {
    await ingest();
    expect(await store.cursor.get()).to.deep.equal({ number: 20, hash: hash(20) });
    expect(await store.events.inBlockRange(-1, 100)).to.deep.equal([vote(12, 0), vote(12, 3), vote(15, 1)]);
    expect(await store.events.inBlockRange(12, 15)).to.deep.equal([vote(15, 1)]);
    expect(await store.events.inBlockRange(15, 12)).to.deep.equal([]);
    expect((await store.headers.range(undefined, undefined)).map((h) => h.number)).to.deep.equal([12, 15, 16, 20]);
    expect(await store.headers.get(15)).to.deep.equal(header(15, 1));
    expect(await store.headers.get(10)).to.equal(undefined);
    expect(await store.confirmedHead()).to.deep.equal(header(15, 1));
    await store.checkConsistency();
  });

  it("survives a reopen", async function () {
    await ingest();
    await store.close();
    store = await L1Store.open(join(dir, "db"));
    expect(await store.cursor.get()).to.deep.equal({ number: 20, hash: hash(20) });
    expect(await store.events.inBlockRange(-1, 100)).to.have.length(3);
  });

  it("rewinds above an ancestor in one batch: events, headers and cursor", async function () {
    await ingest();
    await store.rewind({ number: 16, hash: hash(16) });
    expect(await store.cursor.get()).to.deep.equal({ number: 16, hash: hash(16) });
    expect((await store.headers.range(undefined, undefined)).map((h) => h.number)).to.deep.equal([12, 15, 16]);
    expect(await store.confirmedHead()).to.deep.equal(header(15, 1));
    await store.checkConsistency();
    await store.advance({ events: [], headers: [], cursor: header(16), pruneHeaders: [], confirmed: header(12, 2) });
    await store.rewind({ number: 12, hash: hash(12) });
    expect(await store.cursor.get()).to.deep.equal({ number: 12, hash: hash(12) });
    expect(await store.events.inBlockRange(-1, 100)).to.deep.equal([vote(12, 0), vote(12, 3)]);
    expect((await store.headers.range(undefined, undefined)).map((h) => h.number)).to.deep.equal([12]);
    await store.checkConsistency();
  });

  it("detects an event whose block header is missing, a wrong event count and unlinked headers", async function () {
    await ingest();
    await writeBatch(store.db, [store.events.putOp(vote(13, 0))]);
    expect(((await rejectionOf(store.checkConsistency())) as StoreError).type.code).to.equal(
      StoreErrorCode.INCONSISTENT,
    );
    await writeBatch(store.db, [
      store.events.delOp({ blockNumber: 13, logIndex: 0 }),
      store.headers.putOp(header(15, 2)),
    ]);
    expect((await rejectionOf(store.checkConsistency())).message).to.contain("should hold 2 events");
    await writeBatch(store.db, [store.headers.putOp(header(15, 1)), store.headers.putOp(header(16, 0, 1))]);
    expect((await rejectionOf(store.checkConsistency())).message).to.contain("do not link");
  });

  it("refuses a second process's open with a typed LOCKED error", async function () {
    const err = await rejectionOf(L1Store.open(join(dir, "db")));
    expect(err).to.be.instanceOf(StoreError);
    expect((err as StoreError).type.code).to.equal(StoreErrorCode.LOCKED);
  });

  it("keeps an identity and refuses another one", async function () {
    const identity = {
      chainId: 31337,
      auditorRegistry: "0x01",
      candidateRegistry: "0x02",
      voteRegistry: "0x03",
      deploymentBlock: 1,
      deploymentBlockHash: "0x04",
      votingToken: "0x05",
      votingTokenDeploymentBlock: 1,
    };
    await store.ensureIdentity(identity);
    await store.ensureIdentity({ ...identity, auditorRegistry: "0x01" });
    const err = await rejectionOf(store.ensureIdentity({ ...identity, chainId: 1 }));
    expect((err as StoreError).type).to.deep.include({ code: StoreErrorCode.FOREIGN_DATA_DIR, field: "chainId" });
    // A data directory follows one voting token: another token's history would weigh the votes wrongly.
    const token = await rejectionOf(store.ensureIdentity({ ...identity, votingToken: "0x06" }));
    expect((token as StoreError).type).to.deep.include({ field: "votingToken" });
  });
});
