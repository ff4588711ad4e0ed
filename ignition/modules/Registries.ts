/**
 * The three registries (and, unless an existing token is given, the project's VotingToken) as a
 * Hardhat Ignition module. `npx hardhat deploy` runs it through scripts/deploy.ts, which also writes
 * deployments/<network>.json (what nodes and tools read); it runs alone too:
 * `npx hardhat ignition deploy ignition/modules/Registries.ts --parameters p.json`. The parameters and
 * their defaults are the table in ../parameters.ts.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { ModuleParameterType } from "@nomicfoundation/ignition-core";
import { REGISTRY_PARAMETERS, type RegistryParameterName } from "../parameters";

/**
 * The module, with or without a VotingToken of its own. Ignition builds a module before it knows
 * the parameters' values, so whether the token is deployed is chosen here, by the caller that does
 * know (scripts/deploy.ts: `votingToken` given or not).
 */
export function registriesModule(existingToken: boolean) {
  return buildModule("Registries", (m) => {
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
    const votingToken = existingToken
      ? m.contractAt("VotingToken", m.getParameter<string>("votingToken"), { id: "ExistingVotingToken" })
      : m.contract("VotingToken", ["Repchain Vote", "RVOTE", owner]);
    const voteRegistry = m.contract("VoteRegistry", [owner, candidateRegistry, votingToken]);
    return { auditorRegistry, candidateRegistry, voteRegistry, votingToken };
  });
}

/** The default: the registries and their own VotingToken (what `ignition deploy` of this file runs). */
export default registriesModule(false);
