import { expect } from "chai";
import { rejectionOf } from "../helpers/rejects";
import { ethers } from "hardhat";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deployGovernance, writeDeployment } from "../../scripts/deploy";
import { DeploymentFileError, loadDeployment } from "../../node/types/deployment";

/** The least a deployment needs; every other parameter takes deployGovernance's default. */
const BASE = { auditors: [], threshold: 1n, minDeposit: 10n ** 18n, unbondingPeriod: 604_800n };

describe("scripts/deploy.ts and deployments/<network>.json", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "repchain-deploy-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("deploys the registries wired together and writes a file loadDeployment reads back", async () => {
    const [owner, a0, a1] = await ethers.getSigners();
    const params = {
      auditors: [a0.address, a1.address],
      threshold: 2n,
      minDeposit: 1000n,
      unbondingPeriod: 60n,
      representativeRule: { minRepresentatives: 3n, maxRepresentatives: 7n, candidatesPerSeat: 4n },
      slashFraction: 250n,
      l2ChainId: 99n,
      treasury: a1.address,
    };
    const deployed = await deployGovernance(owner, params, "hardhat");
    const { deployment } = deployed;
    expect(Object.keys(deployment).sort()).to.deep.equal(
      [
        "auditorRegistry",
        "candidateRegistry",
        "chainId",
        "deploymentBlock",
        "deploymentBlockHash",
        "l2ChainId",
        "network",
        "voteRegistry",
        "votingToken",
        "votingTokenDeploymentBlock",
      ].sort(),
    );
    // The node reads the token from the block that created it, and binds its genesis to the L2 chain id.
    expect(deployment.votingToken).to.equal(deployed.votingToken);
    const tokenReceipt = await deployed.ownVotingToken!.deploymentTransaction()!.wait();
    expect(deployment.votingTokenDeploymentBlock).to.equal(tokenReceipt!.blockNumber);
    expect(deployment.l2ChainId).to.equal(99);
    expect(deployment.chainId).to.equal(31337);
    expect(await deployed.candidateRegistry.auditorRegistry()).to.equal(deployment.auditorRegistry);
    expect(await deployed.voteRegistry.candidateRegistry()).to.equal(deployment.candidateRegistry);
    expect(await deployed.auditorRegistry.threshold()).to.equal(2n);
    expect(await deployed.candidateRegistry.minDeposit()).to.equal(1000n);
    expect(await deployed.candidateRegistry.representativeRule()).to.deep.equal([3n, 7n, 4n]);
    expect(await deployed.candidateRegistry.slashFraction()).to.equal(250n);
    expect(await deployed.candidateRegistry.l2ChainId()).to.equal(99n);
    expect(await deployed.candidateRegistry.treasury()).to.equal(a1.address);
    // Without REPCHAIN_VOTING_TOKEN the project's own ERC20Votes token is deployed, owned by the owner.
    expect(await deployed.voteRegistry.votingToken()).to.equal(deployed.votingToken);
    expect(await deployed.ownVotingToken!.owner()).to.equal(owner.address);
    expect(await deployed.ownVotingToken!.CLOCK_MODE()).to.equal("mode=blocknumber&from=default");
    expect((await ethers.provider.getBlock(deployment.deploymentBlock))!.hash).to.equal(deployment.deploymentBlockHash);

    // The constructor events from the deployment block rebuild the auditor set.
    const added = await deployed.auditorRegistry.queryFilter(
      deployed.auditorRegistry.filters.AuditorAdded(),
      deployment.deploymentBlock,
    );
    expect(added.map((e) => e.args.auditor)).to.deep.equal([a0.address, a1.address]);

    const path = join(dir, "hardhat.json");
    writeDeployment(path, deployment);
    expect(loadDeployment(path)).to.deep.equal(deployment);
  });

  it("takes an existing IVotes token and deploys no token of its own", async () => {
    const [owner] = await ethers.getSigners();
    const first = await deployGovernance(owner, BASE, "hardhat");
    const params = { ...BASE, votingToken: first.votingToken };
    const second = await deployGovernance(owner, params, "hardhat");
    expect(second.ownVotingToken).to.equal(undefined);
    expect(await second.voteRegistry.votingToken()).to.equal(first.votingToken);
    // The existing token's creation block, found on L1 (it is older than the second registries).
    expect(second.deployment.votingTokenDeploymentBlock).to.equal(first.deployment.votingTokenDeploymentBlock);
    expect(second.deployment.votingTokenDeploymentBlock).to.be.below(second.deployment.deploymentBlock);
    expect(await second.candidateRegistry.l2ChainId()).to.equal(1337n);
    expect(await second.candidateRegistry.slashFraction()).to.equal(500n);
    expect(await second.candidateRegistry.treasury()).to.equal(ethers.ZeroAddress);
  });

  it("refuses a voting token address without code (no token history to read)", async () => {
    const [owner, stranger] = await ethers.getSigners();
    const params = { ...BASE, votingToken: stranger.address };
    const err = await rejectionOf(deployGovernance(owner, params, "hardhat"));
    expect(err.message).to.match(/no contract at/);
  });

  it("deploys all three registries and the token for an owner other than the deployer", async () => {
    const [deployer, , , multisig] = await ethers.getSigners();
    const params = { ...BASE, owner: multisig.address, minDeposit: 7n };
    const deployed = await deployGovernance(deployer, params, "hardhat");
    for (const owned of [deployed.auditorRegistry, deployed.candidateRegistry, deployed.voteRegistry]) {
      expect(await owned.owner()).to.equal(multisig.address);
    }
    expect(await deployed.ownVotingToken!.owner()).to.equal(multisig.address);
    expect(await deployed.candidateRegistry.minDeposit()).to.equal(7n);
    expect(await deployed.voteRegistry.maxVotesPerVoter()).to.equal(30n);
  });

  it("names the bad field of a broken deployment file", () => {
    const path = join(dir, "bad.json");
    const good = {
      network: "x",
      chainId: 1,
      auditorRegistry: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      candidateRegistry: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
      voteRegistry: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
      deploymentBlock: 1,
      deploymentBlockHash: ethers.ZeroHash,
    };
    writeFileSync(path, JSON.stringify({ ...good, voteRegistry: good.voteRegistry.toLowerCase() }));
    expect(() => loadDeployment(path))
      .to.throw(DeploymentFileError)
      .with.property("message")
      .that.matches(/voteRegistry: expected a checksummed 0x address/);
    writeFileSync(path, JSON.stringify({ ...good, chainId: "1" }));
    expect(() => loadDeployment(path)).to.throw(/chainId/);
    writeFileSync(path, JSON.stringify({ ...good, extra: 1 }));
    expect(() => loadDeployment(path)).to.throw(/extra/);
    writeFileSync(path, "{");
    expect(() => loadDeployment(path)).to.throw(/not JSON/);
    expect(() => loadDeployment(join(dir, "missing.json"))).to.throw(/cannot read/);
  });
});
