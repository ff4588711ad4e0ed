/**
 * The three registries as a Hardhat Ignition module. `npx hardhat deploy` runs it through
 * scripts/deploy.ts, which also writes deployments/<network>.json (what nodes and tools read); it
 * runs alone too: `npx hardhat ignition deploy ignition/modules/Registries.ts --parameters p.json`.
 * The parameters and their defaults are the table in ../parameters.ts.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { ModuleParameterType } from "@nomicfoundation/ignition-core";
import { REGISTRY_PARAMETERS, type RegistryParameterName } from "../parameters";

export default buildModule("Registries", (m) => {
  const parameter = (name: RegistryParameterName) => {
    const fallback = REGISTRY_PARAMETERS[name].default;
    if (fallback === "deployer") return m.getParameter(name, m.getAccount(0));
    return m.getParameter(name, (typeof fallback === "object" ? [...fallback] : fallback) as ModuleParameterType);
  };
  const owner = parameter("owner");
  const auditorRegistry = m.contract("AuditorRegistry", [owner, parameter("auditors"), parameter("threshold")]);
  const candidateRegistry = m.contract("CandidateRegistry", [
    owner,
    auditorRegistry,
    parameter("minDepositWei"),
    parameter("unbondingPeriodSeconds"),
    parameter("representativeCount"),
  ]);
  const voteRegistry = m.contract("VoteRegistry", [owner, candidateRegistry]);
  return { auditorRegistry, candidateRegistry, voteRegistry };
});
