import { expect } from "chai";
import { MAX_TARGET, meetsTarget, powHash } from "../../node/chain/pow";
import { buildBlockTemplate } from "../../node/chain/produceBlock";
import { PowMiner } from "../../node/validator/powMiner";
import { fixture } from "../../node/testing/chainFixture";

describe("PowMiner (worker threads)", () => {
  let miner: PowMiner;
  before(() => (miner = new PowMiner()));
  after(() => miner.stop());

  function template(target: bigint) {
    const f = fixture({ initialPowTarget: target });
    return buildBlockTemplate(f.config, f.state, {
      proposer: f.keys[1].address,
      round: 0,
      nowMs: 2_000_000,
      source: f.l1,
      transactions: [],
      maxEvents: 10,
      lastCommit: null,
    }).header;
  }

  it("finds a nonce whose PoW hash is below the target and reports its hash rate", async () => {
    const header = template(MAX_TARGET >> 10n);
    const result = await miner.mine(header);
    expect(result.header).to.not.equal(null);
    expect(meetsTarget(powHash(result.header!), header.powTarget)).to.equal(true);
    expect(result.hashes).to.be.greaterThan(0);
  });

  it("abandons a search when a newer job starts", async () => {
    const hopeless = miner.mine(template(1n)); // ~2^256 hashes: only cancellation ends it
    const easy = await miner.mine(template(MAX_TARGET >> 2n));
    const abandoned = await hopeless;
    expect(abandoned.header).to.equal(null);
    expect(easy.header).to.not.equal(null);
  });

  it("with several threads, finds a qualifying nonce, and a new job abandons the previous one on every thread", async () => {
    const three = new PowMiner(3);
    try {
      const header = template(MAX_TARGET >> 12n);
      const results = await Promise.all([0, 1, 2].map(() => three.mine(header).then((r) => r)));
      // Each mine() abandons the one before: only the last can find.
      expect(results.slice(0, 2).map((r) => r.header)).to.deep.equal([null, null]);
      const found = results[2].header!;
      expect(meetsTarget(powHash(found), header.powTarget)).to.equal(true);
      expect(results[2].hashes).to.be.greaterThan(0);
    } finally {
      await three.stop();
    }
  });

  it("refuses a thread count below one", () => {
    expect(() => new PowMiner(0)).to.throw(RangeError, "threads must be ≥ 1, got 0");
  });
});
