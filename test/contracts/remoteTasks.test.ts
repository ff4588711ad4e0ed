import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HARDHAT_KEY_0, runHardhat, startSeparateL1, type SeparateL1 } from "../../node/testing/hardhatNode";

const NOBODY = "0x1111111111111111111111111111111111111111";

describe("registry tasks against a separate `hardhat node` (the `remote` network)", function () {
  this.timeout(300_000);
  let l1: SeparateL1;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  before(async function () {
    l1 = await startSeparateL1();
    dir = mkdtempSync(join(tmpdir(), "repchain-remote-"));
    env = { REPCHAIN_RPC_URL: l1.url, REPCHAIN_PRIVATE_KEY: HARDHAT_KEY_0, REPCHAIN_DEPLOYMENTS_DIR: dir };
    const deploy = await runHardhat(
      [
        "deploy",
        "--network",
        "remote",
        "--auditors",
        NOBODY,
        "--threshold",
        "1",
        "--min-representatives",
        "4",
        "--max-representatives",
        "4",
      ],
      env,
    );
    expect(deploy.code, deploy.stderr).to.equal(0);
  });
  after(async function () {
    await l1?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("names the registry error and its arguments when a vote or a refund reverts", async function () {
    const [vote, refund] = await Promise.all([
      runHardhat(["vote", "--network", "remote", "--add", NOBODY], env),
      runHardhat(["refund", "--network", "remote", "--candidate", NOBODY], env),
    ]);
    expect(vote.code).to.not.equal(0);
    expect(vote.stderr).to.contain(`vote reverted: VoteRegistryNotCandidate(${NOBODY})`);
    expect(vote.stderr).not.to.contain("unrecognized custom error");
    expect(refund.code).to.not.equal(0);
    expect(refund.stderr).to.contain(`refund reverted: CandidateRegistryNotRefundable(${NOBODY}, 0)`);
  });
});
