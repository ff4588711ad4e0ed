import { task } from "hardhat/config";
import { registries } from "./common";

task("refund", "Pays a removed candidate's deposit back to its operator after unbonding")
  .addParam("candidate", "the candidate's node address")
  .addOptionalParam("from", "any account (default: first account)")
  .setAction(async (args, hre) => {
    const { candidateRegistry } = await registries(hre, args.from);
    const receipt = await (await candidateRegistry.refund(args.candidate)).wait();
    const event = receipt!.logs
      .map((log) => candidateRegistry.interface.parseLog(log))
      .find((parsed) => parsed?.name === "DepositRefunded");
    console.log(`refunded ${hre.ethers.formatEther(event!.args.amount)} to ${event!.args.operator}`);
  });
