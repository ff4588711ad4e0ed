import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadDeployment } from "../../node/types/deployment";
import { nodeVote } from "./fixtures";

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

  it("deploy, add-auditor, sign-credential, register-candidate, vote, withdraw, refund, withdraw-refund, submit-evidence, listings", async () => {
    const [owner, a0, a1, a2, operator, voter, submitter] = await ethers.getSigners();
    await run("deploy", {
      auditors: `${a0.address},${a1.address}`,
      threshold: "2",
      minDepositWei: ethers.parseEther("0.5").toString(),
      unbondingPeriodSeconds: "60",
      minRepresentatives: "1",
      maxRepresentatives: "3",
      candidatesPerSeat: "2",
      slashFractionBasisPoints: "1000",
      l2ChainId: "4242",
    });
    const deployment = loadDeployment(join(dir, "hardhat.json"));
    const candidates = await ethers.getContractAt("CandidateRegistry", deployment.candidateRegistry);
    const auditors = await ethers.getContractAt("AuditorRegistry", deployment.auditorRegistry);
    const votes = await ethers.getContractAt("VoteRegistry", deployment.voteRegistry);
    expect(await candidates.minDeposit()).to.equal(ethers.parseEther("0.5"));
    expect(await auditors.owner()).to.equal(owner.address);

    await run("add-auditor", { address: a2.address });
    expect(await auditors.isAuditor(a2.address)).to.equal(true);

    const register = async (key: { address: string; privateKey: string }) => {
      const files = [a0, a2].map((a, i) => join(dir, `credential-${key.address}-${i}.json`));
      for (const [i, auditor] of [a0, a2].entries()) {
        await run("sign-credential", {
          auditor: auditor.address,
          candidate: key.address,
          operator: operator.address,
          qualification: "benchmark 1200 tps, 99.9% uptime",
          validFor: 3600,
          reject: false,
          out: files[i],
        });
      }
      expect(JSON.parse(readFileSync(files[0], "utf8")).auditor).to.equal(a0.address);
      process.env.REPCHAIN_TEST_CANDIDATE_KEY = key.privateKey;
      await run("register-candidate", {
        candidate: key.address,
        qualification: "benchmark 1200 tps, 99.9% uptime",
        credentials: files.join(","),
        candidateKeyEnv: "REPCHAIN_TEST_CANDIDATE_KEY",
        from: operator.address,
      });
      delete process.env.REPCHAIN_TEST_CANDIDATE_KEY;
    };
    const key = ethers.Wallet.createRandom();
    const candidate = key.address;
    await register(key);
    expect(await candidates.isCandidate(candidate)).to.equal(true);
    expect((await candidates.getCandidate(candidate)).operator).to.equal(operator.address);

    await run("vote", { add: candidate, revoke: "", from: voter.address });
    expect(await votes.votesOf(voter.address)).to.deep.equal([candidate]);
    await run("list-votes", { voter: voter.address });
    await run("list-candidates", { offset: 0, limit: 10 });

    await run("withdraw", { candidate, from: operator.address });
    expect(await candidates.isCandidate(candidate)).to.equal(false);
    await time.increase(60);
    await run("refund", { candidate });
    expect(await candidates.withdrawable(operator.address)).to.equal(ethers.parseEther("0.5"));
    const before = await ethers.provider.getBalance(voter.address);
    await run("withdraw-refund", { from: operator.address, to: voter.address });
    expect(await ethers.provider.getBalance(voter.address)).to.equal(before + ethers.parseEther("0.5"));

    // A second candidate double-signs a prevote: the evidence file is what the node would record.
    const cheater = ethers.Wallet.createRandom();
    await register(cheater);
    const [hashA, hashB] = [ethers.id("block A"), ethers.id("block B")];
    const evidence = {
      candidate: cheater.address,
      step: "prevote",
      height: 12,
      round: 1,
      blockHashA: hashA,
      signatureA: nodeVote(cheater, 1, 12, 1, hashA, 4242n),
      blockHashB: hashB,
      signatureB: nodeVote(cheater, 1, 12, 1, hashB, 4242n),
    };
    const file = join(dir, "evidence.json");
    writeFileSync(file, JSON.stringify(evidence));
    await run("submit-evidence", { evidence: file, from: submitter.address });
    expect((await candidates.getCandidate(cheater.address)).status).to.equal(5n);
    expect(await candidates.withdrawable(submitter.address)).to.equal(ethers.parseEther("0.005"));
    writeFileSync(file, JSON.stringify({ ...evidence, step: "vote" }));
    const failure = await run("submit-evidence", { evidence: file }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(String(failure)).to.match(/step: expected "prevote" or "precommit", got "vote"/);
  });
});
