import { expect } from "chai";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseGenesis } from "../../node/chain/genesis";
import { runCli } from "../../node/testing/cli";

const DEPLOYMENT = {
  network: "hardhat",
  chainId: 31337,
  auditorRegistry: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  candidateRegistry: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
  voteRegistry: "0x9fE46736679d2d9a65F0992f10c2a0FF54C2DF80",
  deploymentBlock: 3,
  deploymentBlockHash: `0x${"ab".repeat(32)}`,
  votingToken: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
  // The token is older than the registries: the genesis anchors the chain's history at its deployment.
  votingTokenDeploymentBlock: 2,
  l2ChainId: 4242,
};
const REPS = ["0x" + "11".repeat(20), "0x" + "22".repeat(20), "0x" + "33".repeat(20), "0x" + "44".repeat(20)];

describe("repchain init / run (CLI)", function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "repchain-cli-"));
    writeFileSync(join(dir, "deployment.json"), JSON.stringify(DEPLOYMENT));
  });

  /** `repchain init` from the test deployment into `file` (in the test's folder), with `flags` after. */
  const initInto = (file: string, ...flags: string[]) =>
    runCli(["init", "--deployment", join(dir, "deployment.json"), "--out", join(dir, file), ...flags]);

  it("init writes a genesis with the deployment's registries, and refuses bad values with exit 2", async () => {
    const out = join(dir, "genesis.json");
    const ok = await initInto(
      "genesis.json",
      "--representatives",
      REPS.join(","),
      "--epoch-length",
      "5",
      "--pow-difficulty",
      "16",
      "--timestamp",
      "1000",
      "--max-block-bytes",
      "131072",
      "--max-transactions-per-block",
      "300",
      "--l1-confirmations",
      "3",
    );
    expect(ok.code, ok.stderr).to.equal(0);
    const genesis = parseGenesis(JSON.parse(readFileSync(out, "utf8")));
    expect(genesis.l1.voteRegistry).to.equal(DEPLOYMENT.voteRegistry.toLowerCase());
    expect(genesis.l1.votingToken).to.equal(DEPLOYMENT.votingToken.toLowerCase());
    expect(genesis.l1.deploymentBlock).to.equal(2);
    expect(genesis.chainId).to.equal(4242n);
    expect(genesis.representatives).to.deep.equal(REPS);
    expect(genesis.epochLength).to.equal(5);
    expect(genesis.initialPowTarget).to.equal(((1n << 256n) - 1n) / 16n);
    expect([genesis.maxBlockBytes, genesis.maxTransactionBytes]).to.deep.equal([131072, 97 + 4096]);
    expect(genesis.maxTransactionsPerBlock).to.equal(300);
    expect(genesis.l1Confirmations).to.equal(3);
    const bad = await initInto("bad.json", "--representatives", REPS.join(","), "--epoch-length", "1");
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(/epochLength 1/);
    const deep = await initInto("deep.json", "--representatives", REPS.join(","), "--l1-confirmations", "5000");
    expect(deep.code).to.equal(2);
    expect(deep.stderr).to.contain("l1Confirmations 5000 not in [0, 1024]");
    const otherChain = await initInto("bad.json", "--representatives", REPS.join(","), "--chain-id", "4243");
    expect(otherChain.code).to.equal(2);
    expect(otherChain.stderr).to.match(/--chain-id 4243 differs from the registries' l2ChainId 4242/);
  });

  it("init refuses fewer than 4 representatives unless --allow-no-fault-tolerance", async () => {
    const three = REPS.slice(0, 3).join(",");
    const refused = await initInto("three.json", "--representatives", three);
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.contain("--representatives: expected at least 4 distinct addresses");
    expect(refused.stderr).to.contain("got 3").and.to.contain("--allow-no-fault-tolerance");
    expect(existsSync(join(dir, "three.json"))).to.equal(false);
    // A repeated address does not count twice.
    const repeated = await initInto("rep.json", "--representatives", [...REPS.slice(0, 3), REPS[0]].join(","));
    expect(repeated.code).to.equal(2);
    const allowed = await initInto("three.json", "--representatives", three, "--allow-no-fault-tolerance");
    expect(allowed.code, allowed.stderr).to.equal(0);
    expect(parseGenesis(JSON.parse(readFileSync(join(dir, "three.json"), "utf8"))).representatives).to.have.length(3);
  });

  it("run exits 2 naming the bad config field, before touching L1 or the data directory", async () => {
    const config = join(dir, "node.json");
    writeFileSync(
      config,
      JSON.stringify({
        rpcUrl: "http://127.0.0.1:1",
        deployment: "deployment.json",
        genesis: "genesis.json",
        dataDir: "data",
        p2pPort: 70000,
      }),
    );
    const result = await runCli(["run", "--config", config]);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.match(/p2pPort/);
    writeFileSync(
      config,
      JSON.stringify({
        rpcUrl: "http://127.0.0.1:1",
        deployment: "deployment.json",
        genesis: "missing.json",
        dataDir: "data",
      }),
    );
    const missing = await runCli(["run", "--config", config]);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.match(/genesis/);
  });
});
