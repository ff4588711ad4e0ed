import { expect } from "chai";
import { rpcCall, waitFor } from "../../node/testing/processCluster";
import { InProcessChain } from "../helpers/inProcessChain";

describe("a node reports its voting token's symbol and decimals (repchain_status.votingToken)", function () {
  this.timeout(120_000);
  const chain = new InProcessChain(4);
  before(async () => {
    await chain.setUp();
  });
  after(async () => {
    await chain.tearDown();
  });

  it("reads them from the token on L1, for the dashboard to show votes in whole tokens", async () => {
    const node = await chain.start(null, "observer");
    const status = () => rpcCall<{ votingToken?: unknown }>(node.rpcUrl, "repchain_status");
    await waitFor(
      "the token's metadata in repchain_status",
      60_000,
      async () => (await status()).votingToken !== undefined,
    );
    expect((await status()).votingToken).to.deep.equal({
      address: chain.genesis.l1.votingToken,
      symbol: "RVOTE",
      decimals: 18,
    });
  });
});
