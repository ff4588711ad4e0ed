import { task } from "hardhat/config";
import { getAddress } from "ethers";
import { registries } from "./common";

/**
 * Voting power for the weighted votes: the deployment's VotingToken owner mints tokens, and a holder
 * delegates them (to itself or another account). An undelegated token carries no votes (ERC20Votes).
 */
task("mint-votes", "Mints voting tokens to an account (the VotingToken's owner only)")
  .addParam("to", "the account that receives the tokens")
  .addParam("amount", "whole tokens (18 decimals)")
  .addOptionalParam("from", "the token's owner (default: first account)")
  .setAction(async (args, hre) => {
    const { voteRegistry, signer } = await registries(hre, args.from);
    const token = await hre.ethers.getContractAt("VotingToken", await voteRegistry.votingToken(), signer);
    const amount = hre.ethers.parseEther(String(args.amount));
    await (await token.mint(getAddress(args.to), amount)).wait();
    console.log(`minted ${args.amount} voting tokens to ${getAddress(args.to)}; it votes once they are delegated`);
  });

task("delegate", "Delegates the caller's voting tokens (to itself by default): a delegate votes with them")
  .addOptionalParam("to", "the delegate (default: the caller)")
  .addOptionalParam("from", "the holder (default: first account)")
  .setAction(async (args, hre) => {
    const { voteRegistry, signer } = await registries(hre, args.from);
    const token = await hre.ethers.getContractAt("VotingToken", await voteRegistry.votingToken(), signer);
    const delegatee = getAddress(args.to ?? signer.address);
    await (await token.delegate(delegatee)).wait();
    console.log(
      `${signer.address} delegates to ${delegatee}, whose voting power is now ${await token.getVotes(delegatee)}`,
    );
  });
