import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { AuditorRegistry__factory } from "../../typechain-types";

describe("AuditorRegistry", () => {
  async function fixture() {
    const [owner, a0, a1, a2, outsider] = await ethers.getSigners();
    const registry = await new AuditorRegistry__factory(owner).deploy(owner.address, [a0.address, a1.address], 2);
    return { registry, owner, a0, a1, a2, outsider };
  }

  describe("constructor", () => {
    it("emits AuditorAdded for each initial auditor and ThresholdChanged", async () => {
      const [owner, a0, a1] = await ethers.getSigners();
      const registry = await new AuditorRegistry__factory(owner).deploy(owner.address, [a0.address, a1.address], 2);
      const tx = registry.deploymentTransaction()!;
      await expect(tx).to.emit(registry, "AuditorAdded").withArgs(a0.address);
      await expect(tx).to.emit(registry, "AuditorAdded").withArgs(a1.address);
      await expect(tx).to.emit(registry, "ThresholdChanged").withArgs(0, 2);
      expect(await registry.owner()).to.equal(owner.address);
    });

    it("deploys for an owner other than the deployer (the constructor's setters need no owner)", async () => {
      const [deployer, a0, a1, multisig] = await ethers.getSigners();
      const registry = await new AuditorRegistry__factory(deployer).deploy(
        multisig.address,
        [a0.address, a1.address],
        2,
      );
      expect(await registry.owner()).to.equal(multisig.address);
      expect(await registry.auditors()).to.deep.equal([a0.address, a1.address]);
      expect(await registry.threshold()).to.equal(2n);
    });

    it("accepts no auditors with threshold 1", async () => {
      const [owner] = await ethers.getSigners();
      const registry = await new AuditorRegistry__factory(owner).deploy(owner.address, [], 1);
      expect(await registry.auditors()).to.deep.equal([]);
      expect(await registry.threshold()).to.equal(1n);
    });

    it("rejects a threshold above the auditor count, zero, a zero auditor and a duplicate", async () => {
      const [owner, a0] = await ethers.getSigners();
      const factory = new AuditorRegistry__factory(owner);
      await expect(factory.deploy(owner.address, [a0.address], 2))
        .to.be.revertedWithCustomError(factory, "AuditorRegistryInvalidThreshold")
        .withArgs(2, 1);
      await expect(factory.deploy(owner.address, [a0.address], 0))
        .to.be.revertedWithCustomError(factory, "AuditorRegistryInvalidThreshold")
        .withArgs(0, 1);
      await expect(factory.deploy(owner.address, [], 2))
        .to.be.revertedWithCustomError(factory, "AuditorRegistryInvalidThreshold")
        .withArgs(2, 0);
      await expect(factory.deploy(owner.address, [ethers.ZeroAddress], 1)).to.be.revertedWithCustomError(
        factory,
        "AuditorRegistryZeroAddress",
      );
      await expect(factory.deploy(owner.address, [a0.address, a0.address], 1))
        .to.be.revertedWithCustomError(factory, "AuditorRegistryAlreadyAuditor")
        .withArgs(a0.address);
    });
  });

  describe("addAuditor", () => {
    it("adds an auditor and emits AuditorAdded", async () => {
      const { registry, a0, a1, a2 } = await loadFixture(fixture);
      expect(await registry.isAuditor(a2.address)).to.equal(false);
      await expect(registry.addAuditor(a2.address)).to.emit(registry, "AuditorAdded").withArgs(a2.address);
      expect(await registry.isAuditor(a2.address)).to.equal(true);
      expect([...(await registry.auditors())]).to.have.members([a0.address, a1.address, a2.address]);
    });

    it("rejects address(0), an existing auditor and a non-owner", async () => {
      const { registry, a0, a2, outsider } = await loadFixture(fixture);
      await expect(registry.addAuditor(ethers.ZeroAddress)).to.be.revertedWithCustomError(
        registry,
        "AuditorRegistryZeroAddress",
      );
      await expect(registry.addAuditor(a0.address))
        .to.be.revertedWithCustomError(registry, "AuditorRegistryAlreadyAuditor")
        .withArgs(a0.address);
      await expect(registry.connect(outsider).addAuditor(a2.address))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(outsider.address);
    });
  });

  describe("removeAuditor", () => {
    it("removes an auditor when the threshold still fits", async () => {
      const { registry, a0, a2 } = await loadFixture(fixture);
      await registry.addAuditor(a2.address);
      await expect(registry.removeAuditor(a0.address)).to.emit(registry, "AuditorRemoved").withArgs(a0.address);
      expect(await registry.isAuditor(a0.address)).to.equal(false);
      expect(await registry.auditors()).to.have.lengthOf(2);
    });

    it("rejects a removal that leaves fewer auditors than the threshold", async () => {
      const { registry, a0 } = await loadFixture(fixture);
      await expect(registry.removeAuditor(a0.address))
        .to.be.revertedWithCustomError(registry, "AuditorRegistryInvalidThreshold")
        .withArgs(2, 1);
      expect(await registry.isAuditor(a0.address)).to.equal(true);
    });

    it("allows removing the last auditor when the threshold is 1", async () => {
      const { registry, a0, a1 } = await loadFixture(fixture);
      await registry.setThreshold(1);
      await registry.removeAuditor(a0.address);
      await expect(registry.removeAuditor(a1.address)).to.emit(registry, "AuditorRemoved").withArgs(a1.address);
      expect(await registry.auditors()).to.deep.equal([]);
      expect(await registry.threshold()).to.equal(1n);
    });

    it("rejects a non-auditor and a non-owner", async () => {
      const { registry, a0, outsider } = await loadFixture(fixture);
      await expect(registry.removeAuditor(outsider.address))
        .to.be.revertedWithCustomError(registry, "AuditorRegistryNotAuditor")
        .withArgs(outsider.address);
      await expect(registry.connect(outsider).removeAuditor(a0.address))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(outsider.address);
    });
  });

  describe("setThreshold", () => {
    it("sets the threshold and emits ThresholdChanged with old and new value", async () => {
      const { registry } = await loadFixture(fixture);
      await expect(registry.setThreshold(1)).to.emit(registry, "ThresholdChanged").withArgs(2, 1);
      expect(await registry.threshold()).to.equal(1n);
    });

    it("rejects 0, more than the auditors, and a non-owner", async () => {
      const { registry, outsider } = await loadFixture(fixture);
      await expect(registry.setThreshold(0))
        .to.be.revertedWithCustomError(registry, "AuditorRegistryInvalidThreshold")
        .withArgs(0, 2);
      await expect(registry.setThreshold(3))
        .to.be.revertedWithCustomError(registry, "AuditorRegistryInvalidThreshold")
        .withArgs(3, 2);
      await expect(registry.connect(outsider).setThreshold(1))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(outsider.address);
      expect(await registry.threshold()).to.equal(2n);
    });
  });

  it("transfers ownership in two steps", async () => {
    const { registry, owner, outsider } = await loadFixture(fixture);
    await registry.transferOwnership(outsider.address);
    expect(await registry.owner()).to.equal(owner.address);
    await registry.connect(outsider).acceptOwnership();
    expect(await registry.owner()).to.equal(outsider.address);
  });

  it("cannot lose its owner: renounceOwnership is disabled", async () => {
    const { registry, owner } = await loadFixture(fixture);
    await expect(registry.renounceOwnership()).to.be.revertedWithCustomError(
      registry,
      "AuditorRegistryRenounceDisabled",
    );
    expect(await registry.owner()).to.equal(owner.address);
  });
});
