/**
 * The three registries as a Hardhat Ignition module. `npx hardhat deploy` runs it through
 * scripts/deploy.ts, which also writes deployments/<network>.json (what nodes and tools read); it
 * runs alone too: `npx hardhat ignition deploy ignition/modules/Registries.ts --parameters p.json`.
 * The parameters and their defaults are the table in ../parameters.ts.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { ModuleParameterType } from "@nomicfoundation/ignition-core";
import { REGISTRY_PARAMETERS, type RegistryParameterName } from "../parameters";

/**
 * The module for an existing voting token (`votingToken` given) or, with `ownToken`, the module that also
 * deploys the project's VotingToken (owned by `owner`) for the VoteRegistry. Ignition cannot branch on a
 * parameter's value, so scripts/deploy.ts picks the module.
 */
export function registriesModule(ownToken: boolean) {
  return buildModule(ownToken ? "RegistriesWithToken" : "Registries", (m) => {
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
      {
        minDeposit: parameter("minDepositWei"),
        unbondingPeriod: parameter("unbondingPeriodSeconds"),
        representativeRule: {
          minRepresentatives: parameter("minRepresentatives"),
          maxRepresentatives: parameter("maxRepresentatives"),
          candidatesPerSeat: parameter("candidatesPerSeat"),
        },
        slashFraction: parameter("slashFractionBasisPoints"),
        l2ChainId: parameter("l2ChainId"),
        treasury: parameter("treasury"),
      },
    ]);
    const votingToken = ownToken
      ? m.contract("VotingToken", ["Repchain Vote", "RVOTE", owner])
      : parameter("votingToken");
    const voteRegistry = m.contract("VoteRegistry", [owner, candidateRegistry, votingToken]);
    return { auditorRegistry, candidateRegistry, voteRegistry };
  });
}

/** `npx hardhat ignition deploy ignition/modules/Registries.ts` with an existing token in `votingToken`. */
export default registriesModule(false);
