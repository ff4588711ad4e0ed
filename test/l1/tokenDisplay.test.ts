import { expect } from "chai";
import { L1Error, L1ErrorCode } from "../../node/l1/errors";
import { createTransport, type RpcTransport } from "../../node/l1/rpc";
import { DECIMALS_SELECTOR, SYMBOL_SELECTOR, TokenDisplayReader } from "../../node/l1/tokenDisplay";
import { VotingToken__factory } from "../../typechain-types";
import { useDevnetWithRegistries } from "../helpers/devnetRegistries";

/** A transport whose first `failures` calls fail as an unreachable L1 does; then the real one answers. */
function failingFirst(inner: RpcTransport, failures: number): RpcTransport {
  let left = failures;
  return {
    call<T>(method: string, params: readonly unknown[]) {
      if (left-- > 0) throw new L1Error({ code: L1ErrorCode.RPC_UNREACHABLE, method, reason: "test: down" });
      return inner.call<T>(method, params);
    },
    batch: (requests) => inner.batch(requests),
    close: () => inner.close(),
  };
}

describe("the voting token's symbol and decimals for the dashboard (TokenDisplayReader)", function () {
  const l1 = useDevnetWithRegistries();
  let rpc: RpcTransport;
  before(() => {
    rpc = createTransport(l1.devnet.url, 5_000);
  });
  after(async () => {
    await rpc.close();
  });

  it("asks with the ERC-20 ABI's selectors", function () {
    const token = VotingToken__factory.createInterface();
    expect(token.getFunction("symbol").selector).to.equal(SYMBOL_SELECTOR);
    expect(token.getFunction("decimals").selector).to.equal(DECIMALS_SELECTOR);
  });

  it("reads the project's VotingToken: RVOTE with 18 decimals", async function () {
    const reader = new TokenDisplayReader(rpc, l1.r.deployment.votingToken);
    expect(reader.display).to.equal(undefined);
    await reader.read();
    expect(reader.display).to.deep.equal({ address: l1.r.deployment.votingToken, symbol: "RVOTE", decimals: 18 });
  });

  it("has none for a token without the metadata (a contract that reverts, an address without code)", async function () {
    for (const address of [l1.r.deployment.voteRegistry, `0x${"42".repeat(20)}`]) {
      const reader = new TokenDisplayReader(rpc, address);
      await reader.read();
      expect(reader.display, address).to.equal(undefined);
    }
  });

  it("tries again after the L1 did not answer", async function () {
    const reader = new TokenDisplayReader(failingFirst(rpc, 2), l1.r.deployment.votingToken);
    await reader.read();
    expect(reader.display).to.equal(undefined);
    await reader.read();
    expect(reader.display?.symbol).to.equal("RVOTE");
  });
});
