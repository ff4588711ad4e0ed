import { task } from "hardhat/config";
import { registries } from "./common";

task("refund", "Credits a removed candidate's deposit to its operator's balance after unbonding (anyone)")
  .addParam("candidate", "the candidate's node address")
  .addOptionalParam("from", "any account (default: first account)")
  .setAction(async (args, hre) => {
    const { candidateRegistry } = await registries(hre, args.from);
    const receipt = await (await candidateRegistry.refund(args.candidate)).wait();
    const event = receipt!.logs
      .map((log) => candidateRegistry.interface.parseLog(log))
      .find((parsed) => parsed?.name === "RefundCredited");
    console.log(
      `credited ${hre.ethers.formatEther(event!.args.amount)} ETH to ${event!.args.operator}; ` +
        "it withdraws with withdraw-refund",
    );
  });
