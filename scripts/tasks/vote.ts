import { task } from "hardhat/config";
import { addressList, registries } from "./common";

task("vote", "Changes the voter's approvals: revokes, then adds (weighted by the voter's delegated token votes)")
  .addOptionalParam("add", "comma-separated candidates to approve", "")
  .addOptionalParam("revoke", "comma-separated candidates to stop approving", "")
  .addOptionalParam("from", "voter account (default: first account)")
  .setAction(async (args, hre) => {
    const { voteRegistry, signer } = await registries(hre, args.from);
    const receipt = await (await voteRegistry.vote(addressList(args.add), addressList(args.revoke))).wait();
    console.log(`vote of ${signer.address} recorded in block ${receipt!.blockNumber}`);
    console.log(`approves: ${(await voteRegistry.votesOf(signer.address)).join(", ") || "(none)"}`);
    const token = await hre.ethers.getContractAt("IVotes", await voteRegistry.votingToken());
    console.log(`voting power now: ${await token.getVotes(signer.address)} (delegate to yourself to have any)`);
  });
