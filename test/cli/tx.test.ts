import { expect } from "chai";
import { runCli } from "../../node/testing/cli";

// The happy path (sign, send, finalized) runs in test/docs/walkthrough.test.ts against real nodes.
describe("repchain tx send (CLI): bad input is refused before anything is sent", function () {
  this.timeout(120_000);
  const KEY = "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba";
  // Nothing listens here: a refusal must come before any request.
  const rpc = "http://127.0.0.1:9/";

  it("names --data, what was given and what it expects", async () => {
    const bad = await runCli(["tx", "send", "--rpc", rpc, "--data", "hello"], { REPCHAIN_NODE_KEY: KEY });
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain('--data: expected 0x-hex bytes (at most 4096), got "hello"');
    const big = await runCli(["tx", "send", "--rpc", rpc, "--data", `0x${"ab".repeat(4097)}`], {
      REPCHAIN_NODE_KEY: KEY,
    });
    expect(big.code).to.equal(2);
    expect(big.stderr).to.contain("--data: expected 0x-hex bytes (at most 4096)");
  });

  it("says where the key comes from when there is none, and never prints a given key", async () => {
    const none = await runCli(["tx", "send", "--rpc", rpc, "--data", "0x01"], { REPCHAIN_NODE_KEY: "" });
    expect(none.code).to.equal(2);
    expect(none.stderr).to.contain("set REPCHAIN_NODE_KEY, or give --keystore");
    const wrong = await runCli(["tx", "send", "--rpc", rpc, "--data", "0x01"], { REPCHAIN_NODE_KEY: "0x1234" });
    expect(wrong.code).to.equal(2);
    expect(wrong.stderr).to.contain("REPCHAIN_NODE_KEY").and.not.to.contain("0x1234");
  });

  it("tx heartbeat: the same key and nonce rules, refused before anything is sent", async () => {
    const none = await runCli(["tx", "heartbeat", "--rpc", rpc], { REPCHAIN_NODE_KEY: "" });
    expect(none.code).to.equal(2);
    expect(none.stderr).to.contain("set REPCHAIN_NODE_KEY, or give --keystore");
    const nonce = await runCli(["tx", "heartbeat", "--rpc", rpc, "--nonce", "-1"], { REPCHAIN_NODE_KEY: KEY });
    expect(nonce.code).to.equal(2);
    expect(nonce.stderr).to.contain('--nonce: expected a whole number, got "-1"');
  });
});
