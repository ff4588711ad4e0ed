import { readFileSync } from "node:fs";
import { task } from "hardhat/config";
import { registries, toQualificationHash } from "./common";

interface SignedCredential {
  approve: boolean;
  issuedAt: string;
  expiresAt: string;
  signature: string;
}

task("register-candidate", "Registers a candidate with credentials printed by sign-credential")
  .addParam("candidate", "the candidate's node address")
  .addParam("qualification", "qualification hash (0x..32 bytes) or the text the auditors hashed")
  .addParam("credentials", "comma-separated JSON files, each one credential or an array of them")
  .addOptionalParam("deposit", "deposit in ether (default: minDeposit)")
  .addOptionalParam("from", "operator account (default: first account)")
  .setAction(async (args, hre) => {
    const { candidateRegistry } = await registries(hre, args.from);
    const signatures = (args.credentials as string)
      .split(",")
      .flatMap((file) =>
        [JSON.parse(readFileSync(file.trim(), "utf8")) as SignedCredential | SignedCredential[]].flat(),
      )
      .map((c) => ({
        approve: c.approve,
        issuedAt: BigInt(c.issuedAt),
        expiresAt: BigInt(c.expiresAt),
        signature: c.signature,
      }));
    const value = args.deposit ? hre.ethers.parseEther(args.deposit) : await candidateRegistry.minDeposit();
    const app = { candidate: args.candidate, qualificationHash: toQualificationHash(args.qualification), signatures };
    const receipt = await (await candidateRegistry.registerCandidate(app, { value })).wait();
    console.log(`candidate ${args.candidate} registered in block ${receipt!.blockNumber}`);
  });
