import { expect } from "chai";
import { ethers } from "hardhat";
import { CandidateStatus, EthersRegistryView } from "../../../node/auditor/service/l1Reads";
import type { Address, Hex } from "../../../node/types/primitives";
import { deployRegistries, MIN_DEPOSIT, randomWallet } from "../fixture";

describe("auditor's L1 view (EthersRegistryView) against the real registries", function () {
  it("reads the nonce, status, minimum deposit, threshold, auditors and L1 time", async function () {
    const auditor = randomWallet();
    const registries = await deployRegistries([auditor], 1);
    const view = new EthersRegistryView(ethers.provider, registries);
    const nobody = randomWallet().address.toLowerCase() as Address;
    expect(await view.chainId()).to.equal(registries.domain.chainId);
    expect(await view.registrationNonce(nobody)).to.equal(0n);
    expect(await view.candidateStatus(nobody)).to.equal(CandidateStatus.None);
    expect(await view.minDeposit()).to.equal(MIN_DEPOSIT);
    expect(await view.threshold()).to.equal(1n);
    expect(await view.isAuditor(auditor.address.toLowerCase() as Address)).to.equal(true);
    expect(await view.isAuditor(nobody)).to.equal(false);
    expect(await view.latestTimestamp()).to.equal(BigInt((await ethers.provider.getBlock("latest"))!.timestamp));
  });

  it("counts what a deposit transaction paid, only from its sender and only if it succeeded", async function () {
    const registries = await deployRegistries([randomWallet()], 1);
    const view = new EthersRegistryView(ethers.provider, registries);
    const [payer, other] = await ethers.getSigners();
    const tx = await payer.sendTransaction({ to: randomWallet().address, value: 12_345n });
    await tx.wait();
    const hash = tx.hash as Hex;
    expect(await view.paidBy(hash, payer.address.toLowerCase() as Address)).to.equal(12_345n);
    expect(await view.paidBy(hash, other.address.toLowerCase() as Address)).to.equal(0n);
    expect(await view.paidBy(`0x${"77".repeat(32)}`, payer.address.toLowerCase() as Address)).to.equal(0n);
    // A reverted transaction paid nothing. Hardhat mines it and throws; find it in the latest block.
    const before = await ethers.provider.getBlockNumber();
    await expect(payer.sendTransaction({ to: registries.candidateRegistry, value: 1n, gasLimit: 100_000 })).to.be
      .reverted;
    const block = await ethers.provider.getBlock("latest");
    expect(block!.number).to.equal(before + 1);
    const failedHash = block!.transactions[0] as Hex;
    expect((await ethers.provider.getTransactionReceipt(failedHash))!.status).to.equal(0);
    expect(await view.paidBy(failedHash, payer.address.toLowerCase() as Address)).to.equal(0n);
  });
});
