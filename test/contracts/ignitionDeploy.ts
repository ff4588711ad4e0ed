import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  REGISTRY_PARAMETERS,
  environmentVariable,
  parametersFromEnvironment,
  parametersFromFlags,
  taskFlag,
  type RegistryParameterName,
} from "../../ignition/parameters";
import { loadDeployment, type Deployment } from "../../node/types/deployment";
import { deployGovernance, DeploymentExistsError, deployWithIgnition } from "../../scripts/deploy";
import { HARDHAT_KEY_0, runHardhat, startSeparateL1, type SeparateL1 } from "../../node/testing/hardhatNode";
import { rejectionOf } from "../helpers/rejects";

/** The registries' parameters as their getters report them. */
async function onChain(deployment: Deployment) {
  const auditors = await ethers.getContractAt("AuditorRegistry", deployment.auditorRegistry);
  const candidates = await ethers.getContractAt("CandidateRegistry", deployment.candidateRegistry);
  const votes = await ethers.getContractAt("VoteRegistry", deployment.voteRegistry);
  return {
    owner: await auditors.owner(),
    auditors: await auditors.auditors(),
    threshold: await auditors.threshold(),
    minDepositWei: await candidates.minDeposit(),
    unbondingPeriodSeconds: await candidates.unbondingPeriod(),
    representativeRule: [...(await candidates.representativeRule())],
    slashFractionBasisPoints: await candidates.slashFraction(),
    l2ChainId: await candidates.l2ChainId(),
    treasury: await candidates.treasury(),
    wiring: [await candidates.auditorRegistry(), await votes.candidateRegistry()],
    votingToken: await votes.votingToken(),
  };
}

describe("Ignition deployment (ignition/modules/Registries.ts, scripts/deploy.ts, the deploy task)", () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "repchain-ignition-"));
    file = join(dir, "hardhat.json");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("deploys the registries with the given parameters and writes the deployment file the nodes read", async () => {
    const [deployer, a0, a1, owner] = await ethers.getSigners();
    const deployment = await deployWithIgnition(
      hre,
      { owner: owner.address, auditors: [a0.address, a1.address], threshold: 2n, minDepositWei: 123n },
      { file, force: false },
    );
    expect(loadDeployment(file)).to.deep.equal(deployment);
    expect(deployment.network).to.equal("hardhat");
    expect(deployment.chainId).to.equal(31337);
    const state = await onChain(deployment);
    expect(state).to.deep.include({
      owner: owner.address,
      auditors: [a0.address, a1.address],
      threshold: 2n,
      minDepositWei: 123n,
      unbondingPeriodSeconds: REGISTRY_PARAMETERS.unbondingPeriodSeconds.default,
      representativeRule: [21n, 21n, 0n],
      slashFractionBasisPoints: 500n,
      l2ChainId: 1337n,
      treasury: ethers.ZeroAddress,
      votingToken: deployment.votingToken,
    });
    // Without a votingToken parameter the module deploys the project's VotingToken: its history
    // starts where it was created, and the genesis must carry the registries' L2 chain id.
    expect(await ethers.provider.getCode(deployment.votingToken, deployment.votingTokenDeploymentBlock - 1)).to.equal(
      "0x",
    );
    expect(await ethers.provider.getCode(deployment.votingToken, deployment.votingTokenDeploymentBlock)).not.to.equal(
      "0x",
    );
    expect(deployment.l2ChainId).to.equal(1337);
    expect(state.wiring).to.deep.equal([deployment.auditorRegistry, deployment.candidateRegistry]);
    expect(deployer.address).not.to.equal(owner.address);
    // The deployment block is where the AuditorRegistry was created: its constructor events are there.
    const block = deployment.deploymentBlock;
    expect(await ethers.provider.getCode(deployment.auditorRegistry, block - 1)).to.equal("0x");
    expect(await ethers.provider.getCode(deployment.auditorRegistry, block)).not.to.equal("0x");
    expect((await ethers.provider.getBlock(block))!.hash).to.equal(deployment.deploymentBlockHash);
    const auditors = await ethers.getContractAt("AuditorRegistry", deployment.auditorRegistry);
    const added = await auditors.queryFilter(auditors.filters.AuditorAdded(), block, block);
    expect(added.map((e) => e.args.auditor)).to.deep.equal([a0.address, a1.address]);
  });

  it("gives the same registries as deployGovernance (the fixtures' deployer) for the same parameters", async () => {
    const [deployer, a0] = await ethers.getSigners();
    const viaIgnition = await deployWithIgnition(hre, { auditors: [a0.address] }, { file, force: false });
    const defaults = {
      auditors: [a0.address],
      threshold: REGISTRY_PARAMETERS.threshold.default,
      minDeposit: REGISTRY_PARAMETERS.minDepositWei.default,
      unbondingPeriod: REGISTRY_PARAMETERS.unbondingPeriodSeconds.default,
    };
    const viaFactories = await deployGovernance(deployer, defaults, "hardhat");
    const [a, b] = [await onChain(viaIgnition), await onChain(viaFactories.deployment)];
    expect({ ...a, wiring: [], votingToken: "" }).to.deep.equal({ ...b, wiring: [], votingToken: "" });
    expect(a.owner).to.equal(deployer.address);
  });

  it("refuses to overwrite an existing deployment file without force, deploying nothing", async () => {
    writeFileSync(file, "the registries of an earlier deployment\n");
    const blockBefore = await ethers.provider.getBlockNumber();
    const err = await rejectionOf(deployWithIgnition(hre, {}, { file, force: false }));
    expect(err).to.be.instanceOf(DeploymentExistsError);
    expect(err.message).to.contain(file).and.to.contain("--force");
    expect(readFileSync(file, "utf8")).to.equal("the registries of an earlier deployment\n");
    expect(await ethers.provider.getBlockNumber()).to.equal(blockBefore);

    const deployment = await deployWithIgnition(hre, {}, { file, force: true });
    expect(loadDeployment(file)).to.deep.equal(deployment);
  });

  it("the deploy task honours REPCHAIN_DEPLOYMENTS_DIR, takes the deposit in wei and refuses to overwrite without --force", async () => {
    const [, a0] = await ethers.getSigners();
    process.env.REPCHAIN_DEPLOYMENTS_DIR = dir;
    const log = console.log;
    console.log = () => undefined;
    try {
      const args = { auditors: a0.address, minDepositWei: "5000000000000000", maxRepresentatives: "40" };
      await hre.run("deploy", args);
      const first = loadDeployment(file);
      expect(await onChain(first)).to.deep.include({
        minDepositWei: 5_000_000_000_000_000n,
        representativeRule: [21n, 40n, 0n],
      });
      expect(existsSync(join(hre.config.paths.root, "deployments", "hardhat.json"))).to.equal(false);
      expect((await rejectionOf(hre.run("deploy", args))).message).to.match(/hardhat\.json exists.*--force/);
      expect(loadDeployment(file)).to.deep.equal(first);
      await hre.run("deploy", { ...args, force: true });
      expect(loadDeployment(file).auditorRegistry).not.to.equal(first.auditorRegistry);
    } finally {
      console.log = log;
      delete process.env.REPCHAIN_DEPLOYMENTS_DIR;
    }
  });

  it("takes an existing voting token (REPCHAIN_VOTING_TOKEN) and records where its history starts", async () => {
    const [deployer] = await ethers.getSigners();
    const older = await (await ethers.getContractFactory("VotingToken")).deploy("Old", "OLD", deployer.address);
    const created = (await older.deploymentTransaction()!.wait())!.blockNumber;
    await hre.network.provider.send("hardhat_mine", ["0x5"]);
    const parameters = parametersFromEnvironment({
      REPCHAIN_VOTING_TOKEN: await older.getAddress(),
      REPCHAIN_L2_CHAIN_ID: "4242",
    });
    const deployment = await deployWithIgnition(hre, parameters, { file, force: true });
    expect(deployment.votingToken).to.equal(await older.getAddress());
    expect(deployment.votingTokenDeploymentBlock).to.equal(created);
    expect(deployment.votingTokenDeploymentBlock).to.be.below(deployment.deploymentBlock);
    expect(deployment.l2ChainId).to.equal(4242);
    expect((await onChain(deployment)).votingToken).to.equal(await older.getAddress());
  });

  it("`hardhat run scripts/deploy.ts` reads REPCHAIN_* variables, honours the folder and REPCHAIN_FORCE", async function () {
    this.timeout(120_000);
    const env = { REPCHAIN_DEPLOYMENTS_DIR: dir, REPCHAIN_MIN_DEPOSIT_WEI: "77" };
    const first = await runHardhat(["run", "scripts/deploy.ts"], env);
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout).to.contain(`wrote ${file}`);
    const written = readFileSync(file, "utf8");
    const again = await runHardhat(["run", "scripts/deploy.ts"], env);
    expect(again.code).to.equal(1);
    expect(again.stderr).to.contain(`${file} exists`).and.to.contain("REPCHAIN_FORCE=1");
    expect(readFileSync(file, "utf8")).to.equal(written);
    const forced = await runHardhat(["run", "scripts/deploy.ts"], { ...env, REPCHAIN_FORCE: "1" });
    expect(forced.code, forced.stderr).to.equal(0);
  });

  it("on a restarted chain, a journal naming registries the chain lacks is refused in one line; --force deploys anew", async function () {
    this.timeout(240_000);
    let l1: SeparateL1 | undefined;
    const deploy = async (...flags: string[]) =>
      runHardhat(["deploy", "--network", "remote", ...flags], {
        REPCHAIN_RPC_URL: l1!.url,
        REPCHAIN_PRIVATE_KEY: HARDHAT_KEY_0,
        REPCHAIN_DEPLOYMENTS_DIR: dir,
      });
    try {
      l1 = await startSeparateL1();
      expect((await deploy()).code).to.equal(0);
      await l1.stop();
      l1 = await startSeparateL1(); // a new chain: the journal's contracts are not on it
      rmSync(join(dir, "remote.json"));
      const stale = await deploy();
      expect(stale.code).to.equal(1);
      expect(stale.stderr).to.match(/no contract at 0x[0-9a-fA-F]{40}: Ignition's journal names registries/);
      expect(stale.stderr).not.to.contain("unexpected error");
      expect(existsSync(join(dir, "remote.json"))).to.equal(false);
      const forced = await deploy("--force");
      expect(forced.code, forced.stderr).to.equal(0);
      const deployment = loadDeployment(join(dir, "remote.json"));
      const provider = new ethers.JsonRpcProvider(l1.url);
      expect(await provider.getCode(deployment.auditorRegistry)).not.to.equal("0x");
      provider.destroy();
    } finally {
      await l1?.stop();
    }
  });

  it("names every parameter's flag and variable after it, units included", () => {
    const names = Object.keys(REGISTRY_PARAMETERS) as RegistryParameterName[];
    expect(names.map(environmentVariable)).to.deep.equal([
      "REPCHAIN_OWNER",
      "REPCHAIN_AUDITORS",
      "REPCHAIN_THRESHOLD",
      "REPCHAIN_MIN_DEPOSIT_WEI",
      "REPCHAIN_UNBONDING_PERIOD_SECONDS",
      "REPCHAIN_MIN_REPRESENTATIVES",
      "REPCHAIN_MAX_REPRESENTATIVES",
      "REPCHAIN_CANDIDATES_PER_SEAT",
      "REPCHAIN_SLASH_FRACTION_BASIS_POINTS",
      "REPCHAIN_L2_CHAIN_ID",
      "REPCHAIN_TREASURY",
      "REPCHAIN_VOTING_TOKEN",
    ]);
    expect(taskFlag("minDepositWei")).to.equal("--min-deposit-wei");
    expect(Object.keys(hre.tasks.deploy.paramDefinitions)).to.include.members([...names, "force"]);
  });

  it("deploys against an existing voting token given as REPCHAIN_VOTING_TOKEN, deploying no token", async () => {
    const [deployer] = await ethers.getSigners();
    const existing = await deployGovernance(
      deployer,
      { auditors: [], threshold: 1n, minDeposit: 1n, unbondingPeriod: 0n },
      "hardhat",
    );
    const parameters = parametersFromEnvironment({ REPCHAIN_VOTING_TOKEN: existing.votingToken.toLowerCase() });
    expect(parameters).to.deep.equal({ votingToken: existing.votingToken });
    const deployment = await deployWithIgnition(hre, parameters, { file, force: false });
    expect((await onChain(deployment)).votingToken).to.equal(existing.votingToken);
  });

  it("reads the environment and the flags, and names the variable, the value and what is expected", () => {
    const [a, b] = ["0x5FbDB2315678afecb367f032d93F642f64180aa3", "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"];
    expect(
      parametersFromEnvironment({
        REPCHAIN_AUDITORS: `${a.toLowerCase()}, ${b}`,
        REPCHAIN_MIN_DEPOSIT_WEI: "1000",
        REPCHAIN_UNBONDING_PERIOD_SECONDS: "",
      }),
    ).to.deep.equal({ auditors: [a, b], minDepositWei: 1000n });
    expect(parametersFromFlags({ threshold: "3", force: true })).to.deep.equal({ threshold: 3n });
    expect(() => parametersFromEnvironment({ REPCHAIN_THRESHOLD: "two" })).to.throw(
      'REPCHAIN_THRESHOLD: expected a whole number (digits only), got "two"',
    );
    expect(() => parametersFromFlags({ minDepositWei: "1.5" })).to.throw(
      '--min-deposit-wei: expected a whole number (digits only), got "1.5"',
    );
    expect(() => parametersFromFlags({ owner: "0x1234" })).to.throw(
      '--owner: expected a 0x address (20 bytes of hex), got "0x1234"',
    );
    // The old names took wei and ether in different places: a script still using one fails loudly.
    expect(() => parametersFromEnvironment({ REPCHAIN_MIN_DEPOSIT: "1" })).to.throw(
      "REPCHAIN_MIN_DEPOSIT was renamed REPCHAIN_MIN_DEPOSIT_WEI",
    );
    expect(() => parametersFromEnvironment({ REPCHAIN_UNBONDING_PERIOD: "60" })).to.throw(
      "REPCHAIN_UNBONDING_PERIOD was renamed REPCHAIN_UNBONDING_PERIOD_SECONDS",
    );
    expect(() => parametersFromEnvironment({ REPCHAIN_REPRESENTATIVE_COUNT: "21" })).to.throw(
      "REPCHAIN_REPRESENTATIVE_COUNT was renamed REPCHAIN_MIN_REPRESENTATIVES and REPCHAIN_MAX_REPRESENTATIVES",
    );
  });
});
