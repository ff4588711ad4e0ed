import { task, types } from "hardhat/config";
import { addressList, deploymentFile } from "./common";

task("deploy", "Deploys the three registries and writes deployments/<network>.json")
  .addOptionalParam("auditors", "comma-separated initial auditors", "")
  .addOptionalParam("threshold", "auditor signatures needed (M)", "1")
  .addOptionalParam("minDeposit", "minimum deposit in ether", "1")
  .addOptionalParam("unbondingPeriod", "seconds between removal and refund", 7 * 24 * 3600, types.int)
  .addOptionalParam("minRepresentatives", "K rule: fewest representatives", 21, types.int)
  .addOptionalParam("maxRepresentatives", "K rule: most representatives", 21, types.int)
  .addOptionalParam("candidatesPerSeat", "K rule: eligible candidates per seat (0: K = max)", 0, types.int)
  .addOptionalParam("slashFraction", "basis points of the deposit an equivocation costs", 500, types.int)
  .addOptionalParam("l2ChainId", "the L2 genesis chain id evidence must be signed for", "1337")
  .addOptionalParam("treasury", "receives slashed amounts (default: burned)", undefined)
  .addOptionalParam("votingToken", "an existing IVotes token (default: deploy VotingToken)", undefined)
  .addOptionalParam("owner", "owner of the registries (default: the deployer)", undefined)
  .setAction(async (args, hre) => {
    // Loaded here: scripts/deploy.ts uses typechain types, which exist only after the first compile.
    await hre.run("compile", { quiet: true });
    const { deployGovernance, writeDeployment } = await import("../deploy");
    const [deployer] = await hre.ethers.getSigners();
    const { deployment } = await deployGovernance(
      deployer,
      {
        owner: args.owner,
        auditors: addressList(args.auditors),
        threshold: BigInt(args.threshold),
        minDeposit: hre.ethers.parseEther(args.minDeposit),
        unbondingPeriod: BigInt(args.unbondingPeriod),
        representativeRule: {
          minRepresentatives: BigInt(args.minRepresentatives),
          maxRepresentatives: BigInt(args.maxRepresentatives),
          candidatesPerSeat: BigInt(args.candidatesPerSeat),
        },
        slashFraction: BigInt(args.slashFraction),
        l2ChainId: BigInt(args.l2ChainId),
        treasury: args.treasury,
        votingToken: args.votingToken,
      },
      hre.network.name,
    );
    const path = deploymentFile(hre);
    writeDeployment(path, deployment);
    console.log(JSON.stringify(deployment, null, 2));
    console.log(`wrote ${path}`);
  });
