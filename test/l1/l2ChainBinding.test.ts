import { expect } from "chai";
import hre from "hardhat";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { L1Error, L1ErrorCode } from "../../node/l1/errors";
import { L2_CHAIN_ID_SELECTOR } from "../../node/l1/l2ChainBinding";
import { CandidateRegistry__factory } from "../../typechain-types";
import { runCli } from "../../node/testing/cli";
import { writeFollowerGenesis } from "../../node/testing/genesis";
import type { Address } from "../../node/types/primitives";
import { useDevnetWithRegistries } from "../helpers/devnetRegistries";
import { openFollower, tempDir } from "../helpers/follower";
import { rejectionOf } from "../helpers/rejects";

/**
 * `repchain run` and `follow` check the registry on L1, not the deployment file: the CandidateRegistry's
 * l2ChainId() must be the genesis' chain id before anything is followed.
 */
describe("the L2 chain id the CandidateRegistry on L1 is bound to", function () {
  this.timeout(120_000);
  const l1 = useDevnetWithRegistries();

  it("asks with the compiled ABI's selector of l2ChainId()", function () {
    expect(CandidateRegistry__factory.createInterface().getFunction("l2ChainId").selector).to.equal(
      L2_CHAIN_ID_SELECTOR,
    );
  });

  it("follows when the registry answers the genesis' chain id", async function () {
    const f = await openFollower(l1.devnet.url, l1.r.deployment, { l2ChainId: l1.r.deployment.l2ChainId });
    try {
      await f.sync();
      expect(await f.store.cursor.get()).not.to.equal(undefined);
    } finally {
      await f.close();
    }
  });

  it("halts before writing anything when the registry is bound to another L2 chain id (a file edited by hand)", async function () {
    const claimed = l1.r.deployment.l2ChainId + 1;
    const f = await openFollower(l1.devnet.url, l1.r.deployment, { l2ChainId: claimed });
    try {
      const err = await rejectionOf(f.follower.run(new AbortController().signal));
      expect(err).to.be.instanceOf(L1Error);
      expect((err as L1Error).type).to.deep.equal({
        code: L1ErrorCode.WRONG_L2_CHAIN,
        candidateRegistry: l1.r.deployment.candidateRegistry.toLowerCase(),
        expected: claimed,
        actual: l1.r.deployment.l2ChainId,
      });
      expect((err as L1Error).message).to.contain(`bound to L2 chain id ${l1.r.deployment.l2ChainId}`);
      expect((err as L1Error).message).to.contain(`say L2 chain id ${claimed}`);
      expect(await f.store.cursor.get()).to.equal(undefined);
    } finally {
      await f.close();
    }
  });

  it("halts when no registry answers at the address: another contract (it reverts) or an account (no code)", async function () {
    const [, account] = await hre.ethers.getSigners();
    for (const impostor of [l1.r.deployment.voteRegistry, account.address]) {
      const candidateRegistry = impostor.toLowerCase() as Address;
      const f = await openFollower(l1.devnet.url, l1.r.deployment, {
        l2ChainId: l1.r.deployment.l2ChainId,
        identity: { candidateRegistry },
      });
      try {
        const err = await rejectionOf(f.follower.run(new AbortController().signal));
        expect((err as L1Error).type, impostor).to.deep.equal({
          code: L1ErrorCode.WRONG_L2_CHAIN,
          candidateRegistry,
          expected: l1.r.deployment.l2ChainId,
          actual: null,
        });
        expect((err as L1Error).message).to.contain(`no CandidateRegistry answers l2ChainId() at ${candidateRegistry}`);
      } finally {
        await f.close();
      }
    }
  });

  it("`repchain follow` exits 1 naming both chain ids when deployment file and genesis agree with each other but not with L1", async function () {
    const dir = tempDir("repchain-l2chain-");
    const edited = { ...l1.r.deployment, l2ChainId: l1.r.deployment.l2ChainId + 7 };
    writeFileSync(join(dir, "deployment.json"), JSON.stringify(edited));
    writeFollowerGenesis(join(dir, "genesis.json"), edited, 0);
    const config = join(dir, "node.json");
    const files = { deployment: "deployment.json", genesis: "genesis.json", dataDir: "node" };
    writeFileSync(config, JSON.stringify({ rpcUrl: l1.devnet.url, ...files }));
    const run = await runCli(["follow", "--config", config]);
    expect(run.code, run.stderr).to.equal(1);
    expect(run.stderr).to.contain("L1_WRONG_L2_CHAIN");
    expect(run.stderr).to.contain(`bound to L2 chain id ${l1.r.deployment.l2ChainId}`);
    expect(run.stderr).to.contain(`say L2 chain id ${edited.l2ChainId}`);
  });
});
