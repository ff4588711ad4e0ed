import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadDeployment } from "../../node/types/deployment";

/** Runs a task with console output silenced (the tasks print for people; the test reads the chain). */
async function run(name: string, args: Record<string, unknown>): Promise<void> {
  const log = console.log;
  console.log = () => undefined;
  try {
    await hre.run(name, args);
  } finally {
    console.log = log;
  }
}

describe("registry tasks (scripts/tasks)", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "repchain-tasks-"));
    process.env.REPCHAIN_DEPLOYMENTS_DIR = dir;
  });
  after(() => {
    delete process.env.REPCHAIN_DEPLOYMENTS_DIR;
    rmSync(dir, { recursive: true, force: true });
  });

  it("deploy, add-auditor, sign-credential, register-candidate, vote, withdraw, refund and the listings", async () => {
    const [owner, a0, a1, a2, operator, voter] = await ethers.getSigners();
    await run("deploy", {
      auditors: `${a0.address},${a1.address}`,
      threshold: "2",
      minDepositWei: ethers.parseEther("0.5").toString(),
      unbondingPeriodSeconds: "60",
      representativeCount: "3",
    });
    const deployment = loadDeployment(join(dir, "hardhat.json"));
    const candidates = await ethers.getContractAt("CandidateRegistry", deployment.candidateRegistry);
    const auditors = await ethers.getContractAt("AuditorRegistry", deployment.auditorRegistry);
    const votes = await ethers.getContractAt("VoteRegistry", deployment.voteRegistry);
    expect(await candidates.minDeposit()).to.equal(ethers.parseEther("0.5"));
    expect(await auditors.owner()).to.equal(owner.address);

    await run("add-auditor", { address: a2.address });
    expect(await auditors.isAuditor(a2.address)).to.equal(true);

    const candidate = ethers.Wallet.createRandom().address;
    const files = [a0, a2].map((a, i) => join(dir, `credential-${i}.json`));
    for (const [i, auditor] of [a0, a2].entries()) {
      await run("sign-credential", {
        auditor: auditor.address,
        candidate,
        qualification: "benchmark 1200 tps, 99.9% uptime",
        validFor: 3600,
        reject: false,
        out: files[i],
      });
    }
    expect(JSON.parse(readFileSync(files[0], "utf8")).auditor).to.equal(a0.address);
    await run("register-candidate", {
      candidate,
      qualification: "benchmark 1200 tps, 99.9% uptime",
      credentials: files.join(","),
      from: operator.address,
    });
    expect(await candidates.isCandidate(candidate)).to.equal(true);
    expect((await candidates.getCandidate(candidate)).operator).to.equal(operator.address);

    await run("vote", { add: candidate, revoke: "", from: voter.address });
    expect(await votes.votesOf(voter.address)).to.deep.equal([candidate]);
    await run("list-votes", { voter: voter.address });
    await run("list-candidates", { offset: 0, limit: 10 });

    await run("withdraw", { candidate, from: operator.address });
    expect(await candidates.isCandidate(candidate)).to.equal(false);
    await time.increase(60);
    const before = await ethers.provider.getBalance(operator.address);
    await run("refund", { candidate });
    expect(await ethers.provider.getBalance(operator.address)).to.equal(before + ethers.parseEther("0.5"));
  });
});
