import { task, types } from "hardhat/config";

/**
 * `npx hardhat apply`: what `repchain apply` does, for users who live in Hardhat. The candidate's
 * key comes from the environment; the operator (who pays the deposit) is one of the network's
 * configured accounts.
 */
interface ApplyTaskArgs {
  auditors: string;
  deployment?: string;
  candidateKeyEnv: string;
  operator: number;
  deposit?: string;
  credit: string;
  waitSeconds: number;
  register: boolean;
  renew: boolean;
  quiet: boolean;
}

task("apply", "Apply for candidacy: answer the auditors' challenges, sign, submit, optionally register")
  .addParam("auditors", "comma-separated auditor base URLs")
  .addOptionalParam("deployment", "deployment file (default: deployments/<network>.json)")
  .addOptionalParam("candidateKeyEnv", "variable holding the candidate's key", "REPCHAIN_CANDIDATE_KEY")
  .addOptionalParam("operator", "index of the account that registers and pays", 0, types.int)
  .addOptionalParam("deposit", "deposit in wei (default: the registry's minDeposit)")
  .addParam("credit", "the account's credit value")
  .addOptionalParam("waitSeconds", "how long to wait for decisions", 300, types.int)
  .addFlag("register", "register on CandidateRegistry once enough auditors approved")
  .addFlag("renew", "renew the standing registration instead (Renewal signatures, renewCredentials)")
  .addFlag("quiet", "print nothing; the task still returns its result")
  .setAction(async (args: ApplyTaskArgs, hre) => {
    // Loaded here, not at the top: hardhat.config.ts imports this file before Hardhat is ready.
    const { applyForCandidacy, describeResult, readRegistryContext } = await import("../../node/auditor/client/apply");
    const { loadWallet } = await import("../../node/auditor/service/keys");
    const { loadDeployment } = await import("../../node/types/deployment");

    const deployment = loadDeployment(args.deployment ?? `deployments/${hre.network.name}.json`);
    const provider = hre.ethers.provider;
    const candidate = await loadWallet({ env: args.candidateKeyEnv });
    const operator = (await hre.ethers.getSigners())[args.operator];
    if (!operator) throw new Error(`the network has no account number ${args.operator}`);
    const context = await readRegistryContext(provider, {
      candidateRegistry: deployment.candidateRegistry.toLowerCase() as `0x${string}`,
      auditorRegistry: deployment.auditorRegistry.toLowerCase() as `0x${string}`,
    });
    const result = await applyForCandidacy({
      ...context,
      candidate,
      operator,
      auditorUrls: args.auditors.split(",").map((u) => u.trim()),
      deposit: args.deposit === undefined ? await context.chain.minDeposit() : BigInt(args.deposit),
      creditValue: BigInt(args.credit),
      register: args.register,
      renew: args.renew,
      requestTimeoutMs: 5_000,
      waitTimeoutMs: args.waitSeconds * 1_000,
      pollIntervalMs: 1_000,
      onProgress: (message) => !args.quiet && console.error(message),
    });
    if (!args.quiet) console.log(describeResult(result));
    return result;
  });
