import { task } from "hardhat/config";
import { registries } from "./common";

task("withdraw-refund", "Pays the caller's credited refunds and slash rewards to an address of its choice")
  .addOptionalParam("to", "where to send the ETH (default: the caller)")
  .addOptionalParam("from", "the account whose balance is withdrawn (default: first account)")
  .setAction(async (args, hre) => {
    const { candidateRegistry, signer } = await registries(hre, args.from);
    const to = hre.ethers.getAddress(args.to ?? signer.address);
    const amount = await candidateRegistry.withdrawable(signer.address);
    await (await candidateRegistry.withdrawRefund(to)).wait();
    console.log(`paid ${hre.ethers.formatEther(amount)} ETH of ${signer.address}'s balance to ${to}`);
  });
