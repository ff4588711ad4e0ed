import { task } from "hardhat/config";
import { registries } from "./common";

task("list-votes", "Lists a voter's approvals, which registration each names, and whether it counts")
  .addOptionalParam("voter", "the voter (default: first account)")
  .setAction(async (args, hre) => {
    const { voteRegistry, signer } = await registries(hre);
    const voter = args.voter ?? signer.address;
    const approvals = await voteRegistry.approvalsOf(voter);
    console.log(`${voter} holds ${approvals.length} of at most ${await voteRegistry.maxVotesPerVoter()} approvals:`);
    for (const a of approvals) {
      console.log(`  ${a.candidate} registration ${a.registration} ${a.live ? "live" : "dead (revoke or vote again)"}`);
    }
  });
