// SuMo (npm run test:mutation, through scripts/mutation/sumo.js): mutates contracts/ and runs the Hardhat
// contract tests against each mutant. Paths are relative to contractsDir and testDir.
// A subset for a short run: SUMO_CONTRACTS=AuditorRegistry.sol SUMO_TESTS=AuditorRegistry.ts npm run test:mutation
const { readdirSync } = require("node:fs");

const only = (variable) => (process.env[variable] ? process.env[variable].split(",").map((s) => s.trim()) : null);
const others = (dir, keep) => (keep ? readdirSync(dir).filter((f) => !keep.includes(f)) : []);

module.exports = {
  buildDir: "artifacts",
  contractsDir: "contracts",
  testDir: "test/contracts",
  // Test-only helpers and declarations are not mutated.
  skipContracts: ["test", "interfaces", ...others("contracts", only("SUMO_CONTRACTS"))],
  // The slow end-to-end files (tasks, JSON-RPC, the deploy script, the property campaign) add little killing
  // power per second; fixtures.ts is not a test.
  skipTests: [
    "tasks.ts",
    "rpc.ts",
    "deploy.ts",
    "properties.ts",
    "fixtures.ts",
    ...others("test/contracts", only("SUMO_TESTS")),
  ],
  testingTimeOutInSec: 300,
  network: "none",
  testingFramework: "hardhat",
  minimal: true,
  tce: false,
};
