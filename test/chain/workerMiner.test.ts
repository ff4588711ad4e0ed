import { expect } from "chai";
import { ZERO_HASH } from "../../node/chain/bytes";
import { headerHash } from "../../node/chain/headerCodec";
import { MAX_TARGET, meetsTarget } from "../../node/chain/pow";
import type { BlockHeader } from "../../node/chain/types";
import { WorkerMiner } from "../../node/chain/workerMiner";

const HEADER: BlockHeader = {
  chainId: 1337n,
  height: 1,
  epoch: 0,
  round: 0,
  parentHash: ZERO_HASH,
  timestamp: 1,
  proposer: `0x${"aa".repeat(20)}`,
  l1AnchorNumber: 0,
  l1AnchorHash: ZERO_HASH,
  eventsRoot: ZERO_HASH,
  txRoot: ZERO_HASH,
  electionResultHash: ZERO_HASH,
  powTarget: MAX_TARGET >> 10n,
  nonce: 0n,
};

describe("WorkerMiner", () => {
  let miner: WorkerMiner;
  beforeEach(() => {
    miner = new WorkerMiner();
  });
  afterEach(() => miner.close());

  it("finds a nonce whose header hash is below the target (checked in this thread)", async () => {
    const solved = await miner.mine(HEADER);
    expect(solved).to.not.equal(null);
    expect(meetsTarget(headerHash(solved!), HEADER.powTarget)).to.equal(true);
    expect({ ...solved!, nonce: 0n }).to.deep.equal(HEADER);
  });

  it("abandons the job when the round moves on, and stops hashing", async () => {
    await miner.mine(HEADER); // the worker is up and warm
    const warm = miner.totalHashes;
    const impossible = { ...HEADER, powTarget: 1n };
    const job = miner.mine(impossible);
    await new Promise((r) => setTimeout(r, 200));
    miner.cancel();
    expect(await job).to.equal(null);
    // The worker reports the abandoned job once it sees the flag (within one batch): hashing stopped.
    await new Promise((r) => setTimeout(r, 100));
    const afterCancel = miner.totalHashes;
    expect(afterCancel).to.be.greaterThan(warm);
    await new Promise((r) => setTimeout(r, 200));
    expect(miner.totalHashes).to.equal(afterCancel);
    // And it is free for the next round's job right away.
    const next = await miner.mine({ ...HEADER, round: 1 });
    expect(next?.round).to.equal(1);
  });

  it("a new job replaces the running one", async () => {
    const first = miner.mine({ ...HEADER, powTarget: 1n });
    const second = miner.mine({ ...HEADER, round: 2 });
    expect(await first).to.equal(null);
    expect((await second)?.round).to.equal(2);
  });

  it("gives up after maxHashes", async () => {
    expect(await miner.mine({ ...HEADER, powTarget: 1n }, 5000)).to.equal(null);
  });
});
