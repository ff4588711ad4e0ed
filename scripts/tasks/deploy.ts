import { task } from "hardhat/config";
import { HardhatPluginError } from "hardhat/plugins";
import { REGISTRY_PARAMETERS, type RegistryParameterName } from "../../ignition/parameters";
import { deploymentFile } from "./common";

const deploy = task("deploy", "Deploys the three registries with Ignition and writes deployments/<network>.json");
// One flag per Ignition parameter, named after it (minDepositWei → --min-deposit-wei).
for (const name of Object.keys(REGISTRY_PARAMETERS) as RegistryParameterName[]) {
  const { meaning, default: fallback } = REGISTRY_PARAMETERS[name];
  const shown = fallback === "deployer" ? "the deploying account" : String(fallback) || "none";
  deploy.addOptionalParam(name, `${meaning} (default: ${shown})`);
}
deploy
  .addFlag("force", "deploy new registries even though deployments/<network>.json exists, and overwrite it")
  .setAction(async (args: Record<string, unknown>, hre) => {
    // Loaded here: scripts/deploy.ts uses typechain types, which exist only after the first compile.
    await hre.run("compile", { quiet: true });
    const { DeploymentExistsError, StaleJournalError, deployWithIgnition } = await import("../deploy");
    const { DeployParameterError, parametersFromFlags } = await import("../../ignition/parameters");
    const file = deploymentFile(hre);
    let deployment;
    try {
      deployment = await deployWithIgnition(hre, parametersFromFlags(args), { file, force: args.force === true });
    } catch (err) {
      // The user's input or files, not a bug: one line naming it, no stack trace.
      const known = [DeploymentExistsError, StaleJournalError, DeployParameterError].some((k) => err instanceof k);
      throw known ? new HardhatPluginError("repchain", (err as Error).message) : err;
    }
    console.log(JSON.stringify(deployment, null, 2));
    console.log(`wrote ${file}`);
  });
