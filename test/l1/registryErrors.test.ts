import { expect } from "chai";
import { Contract, JsonRpcProvider, Wallet } from "ethers";
import { useDevnetWithRegistries } from "../helpers/devnetRegistries";
import { describeRevertData, explainRegistryError, registryErrorOf } from "../../node/l1/registryErrors";

const NOBODY = "0x1111111111111111111111111111111111111111";

describe("registry errors decoded from the ABI", function () {
  const l1 = useDevnetWithRegistries();

  it("decodes raw revert data by name with its arguments", function () {
    const data = l1.r.votes.interface.encodeErrorResult("VoteRegistryNotCandidate", [NOBODY]);
    expect(data.slice(0, 10)).to.equal("0xf1001f34");
    expect(describeRevertData(data)).to.equal(`VoteRegistryNotCandidate(${NOBODY})`);
    // The message-only form a user saw: Hardhat could not decode it, we can.
    const seen = `reverted with an unrecognized custom error (return data: ${data})`;
    expect(registryErrorOf(new Error(seen))).to.equal(`VoteRegistryNotCandidate(${NOBODY})`);
    expect(describeRevertData("0xdeadbeef")).to.equal(undefined);
    expect(registryErrorOf(new Error("connection refused"))).to.equal(undefined);
  });

  it("finds the error in what ethers throws over plain JSON-RPC (not Hardhat's in-process provider)", async function () {
    // A wallet over HTTP, as `repchain apply` and any other client reach a real network.
    const provider = new JsonRpcProvider(l1.devnet.url, undefined, { staticNetwork: true });
    const wallet = new Wallet("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d", provider);
    const votes = new Contract(
      await l1.r.votes.getAddress(),
      ["function vote(address[] add, address[] revoke)"],
      wallet,
    );
    const candidates = new Contract(await l1.r.candidates.getAddress(), ["function refund(address candidate)"], wallet);
    try {
      const cases: [Promise<unknown>, string][] = [
        [votes.getFunction("vote")([NOBODY], []), `VoteRegistryNotCandidate(${NOBODY})`],
        [candidates.getFunction("refund")(NOBODY), `CandidateRegistryNotRefundable(${NOBODY}, 0)`],
      ];
      for (const [sending, expected] of cases) {
        const err = await sending.then(
          () => expect.fail("expected a revert"),
          (e: unknown) => e,
        );
        expect(String((err as Error).message)).not.to.contain(expected.split("(")[0]);
        expect(registryErrorOf(err)).to.equal(expected);
        expect(explainRegistryError(err, "send").message).to.equal(`send reverted: ${expected}`);
      }
    } finally {
      provider.destroy();
    }
  });
});
