import { task } from "hardhat/config";
import { registries } from "./common";

task("add-auditor", "Adds an auditor (owner only)")
  .addParam("address", "the auditor's address")
  .addOptionalParam("from", "owner account (default: first account)")
  .setAction(async (args, hre) => {
    const { auditorRegistry } = await registries(hre, args.from);
    const receipt = await (await auditorRegistry.addAuditor(args.address)).wait();
    console.log(`auditor ${args.address} added in block ${receipt!.blockNumber}`);
  });
