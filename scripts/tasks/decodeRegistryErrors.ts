import { task } from "hardhat/config";
import { HardhatPluginError } from "hardhat/plugins";

/** The tasks that send transactions to the registries (or read them), whose reverts a user must understand. */
const REGISTRY_TASKS = [
  "deploy",
  "add-auditor",
  "register-candidate",
  "vote",
  "withdraw",
  "refund",
  "withdraw-refund",
  "submit-evidence",
  "list-candidates",
  "list-votes",
  "apply",
];

/**
 * Re-declares each registry task around its own action: a revert is reported by the registry
 * error's name and arguments (`refund reverted: CandidateRegistryRefundNotDue(0x…, 1767225600)`),
 * decoded from the ABI, on any network. Hardhat's own decoding works only on its in-process
 * network; against another node it printed `unrecognized custom error (return data: 0xf1001f34…)`.
 */
for (const name of REGISTRY_TASKS) {
  task(name).setAction(async (args, _hre, runSuper) => {
    try {
      return await runSuper(args);
    } catch (err) {
      // Loaded here: it reads typechain-types, which exist only after the first compile.
      const { registryErrorOf } = await import("../../node/l1/registryErrors");
      const decoded = registryErrorOf(err);
      if (decoded === undefined) throw err;
      throw new HardhatPluginError("repchain", `${name} reverted: ${decoded}`, err as Error);
    }
  });
}
