import { task } from "hardhat/config";
import { registries } from "./common";

task("withdraw", "Withdraws a candidate (its operator only); the deposit unbonds")
  .addParam("candidate", "the candidate's node address")
  .addOptionalParam("from", "operator account (default: first account)")
  .setAction(async (args, hre) => {
    const { candidateRegistry } = await registries(hre, args.from);
    await (await candidateRegistry.withdraw(args.candidate)).wait();
    const { refundableAt } = await candidateRegistry.getCandidate(args.candidate);
    console.log(
      `candidate ${args.candidate} withdrawn; deposit refundable at ${new Date(Number(refundableAt) * 1000).toISOString()}`,
    );
  });
