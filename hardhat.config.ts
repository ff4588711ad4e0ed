import { subtask } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import "@nomicfoundation/hardhat-toolbox";
import "./scripts/tasks/apply";
import type { HardhatUserConfig } from "hardhat/config";
import "./scripts/tasks";

/** The compiler version, pinned to the `solc` npm package and to every contract's pragma. */
const SOLC_VERSION = "0.8.28";

// This machine has no network but the npm registry, so Hardhat cannot download a compiler.
// Serve the soljson.js of the pinned `solc` npm package instead.
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper(args);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc") as { version(): string };
  return {
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: solc.version(),
  };
});

const remote = process.env.REPCHAIN_RPC_URL;
// One key, or several separated by commas: the tasks' --from picks one (the first by default).
const remoteKeys = (process.env.REPCHAIN_PRIVATE_KEY ?? "")
  .split(",")
  .map((key) => key.trim())
  .filter((key) => key !== "");
// `REPCHAIN_L1_BLOCK_TIME_MS=1000 npx hardhat node` mines a block every second besides each
// transaction, so a node's `confirmations` are reached without new transactions.
const l1BlockTimeMs = Number(process.env.REPCHAIN_L1_BLOCK_TIME_MS ?? 0);

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: { optimizer: { enabled: true, runs: 10_000 }, evmVersion: "cancun" },
  },
  networks: {
    hardhat: l1BlockTimeMs > 0 ? { mining: { auto: true, interval: l1BlockTimeMs } } : {},
    localhost: { url: "http://127.0.0.1:8545" },
    // A running `npm run devnet` (its L1 URL and deployments folder are printed at start); Hardhat's
    // default accounts are unlocked on it, so the tasks sign through eth_sendTransaction.
    devnet: { url: process.env.REPCHAIN_DEVNET_URL ?? "http://127.0.0.1:8545" },
    ...(remote ? { remote: { url: remote, accounts: remoteKeys } } : {}),
  },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
  gasReporter: { enabled: process.env.REPORT_GAS === "1", offline: true },
  mocha: { timeout: 120_000 },
};

export default config;
