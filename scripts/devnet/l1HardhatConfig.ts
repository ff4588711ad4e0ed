/**
 * The Hardhat config of the devnet's embedded L1 (loaded through HARDHAT_CONFIG by
 * embeddedL1.ts's loadL1Runtime) instead of hardhat.config.ts: Hardhat's default in-process network
 * and ethers, nothing else. The project's config needs ts-node and loads the whole toolbox and the
 * tasks, ≈ 2 s of the devnet's start; the devnet compiles nothing (the registries' bytecode is in
 * the typechain build).
 */
import "@nomicfoundation/hardhat-ethers";
import { join } from "node:path";
import type { HardhatUserConfig } from "hardhat/types";

const config: HardhatUserConfig = {
  // This file runs from dist/scripts/devnet/: the repository root is three folders up.
  paths: { root: join(__dirname, "../../..") },
  networks: { hardhat: {} },
};

export default config;
