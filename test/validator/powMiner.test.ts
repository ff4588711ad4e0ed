import { expect } from "chai";
import { headerHash } from "../../node/chain/headerCodec";
import { MAX_TARGET, meetsTarget } from "../../node/chain/pow";
import { buildBlockTemplate } from "../../node/chain/produceBlock";
import { PowMiner } from "../../node/validator/powMiner";
import { fixture } from "../chain/fixtures";

describe("PowMiner (worker thread)", () => {
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
    }).header;
  }

  it("finds a nonce whose header hash is below the target and reports its hash rate", async () => {
    const header = template(MAX_TARGET >> 10n);
    const result = await miner.mine(header);
    expect(result.header).to.not.equal(null);
    expect(meetsTarget(headerHash(result.header!), header.powTarget)).to.equal(true);
    expect(result.hashes).to.be.greaterThan(0);
  });

  it("abandons a search when a newer job starts", async () => {
    const hopeless = miner.mine(template(1n)); // ~2^256 hashes: only cancellation ends it
    const easy = await miner.mine(template(MAX_TARGET >> 2n));
    const abandoned = await hopeless;
    expect(abandoned.header).to.equal(null);
    expect(easy.header).to.not.equal(null);
  });
});
