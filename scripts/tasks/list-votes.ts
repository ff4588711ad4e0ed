import { task } from "hardhat/config";
import { registries } from "./common";

task("list-votes", "Lists a voter's approvals")
  .addOptionalParam("voter", "the voter (default: first account)")
  .setAction(async (args, hre) => {
    const { voteRegistry, signer } = await registries(hre);
    const voter = args.voter ?? signer.address;
    const approved = await voteRegistry.votesOf(voter);
    console.log(`${voter} approves ${approved.length} of at most ${await voteRegistry.maxVotesPerVoter()}:`);
    for (const candidate of approved) console.log(`  ${candidate}`);
  });
