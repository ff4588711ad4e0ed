/** What every registry task needs: the deployment of the selected network and its contracts. */
import { join } from "node:path";
import { getAddress, isHexString, id } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { loadDeployment } from "../../node/types/deployment";
import type { Deployment } from "../../node/types/deployment";

/** deployments/<network>.json, or under REPCHAIN_DEPLOYMENTS_DIR when set (tests use a temporary one). */
export function deploymentFile(hre: HardhatRuntimeEnvironment): string {
  const dir = process.env.REPCHAIN_DEPLOYMENTS_DIR ?? join(hre.config.paths.root, "deployments");
  return join(dir, `${hre.network.name}.json`);
}

export function deploymentOf(hre: HardhatRuntimeEnvironment): Deployment {
  return loadDeployment(deploymentFile(hre));
}

/** The three registries of the selected network, connected to `from` (default: the first account). */
export async function registries(hre: HardhatRuntimeEnvironment, from?: string) {
  const deployment = deploymentOf(hre);
  const signer = from ? await hre.ethers.getSigner(getAddress(from)) : (await hre.ethers.getSigners())[0];
  return {
    deployment,
    signer,
    auditorRegistry: await hre.ethers.getContractAt("AuditorRegistry", deployment.auditorRegistry, signer),
    candidateRegistry: await hre.ethers.getContractAt("CandidateRegistry", deployment.candidateRegistry, signer),
    voteRegistry: await hre.ethers.getContractAt("VoteRegistry", deployment.voteRegistry, signer),
  };
}

/** A qualification hash given as 0x32-byte hex, or any text (hashed with keccak256). */
export function toQualificationHash(value: string): string {
  return isHexString(value, 32) ? value : id(value);
}

/** Comma-separated addresses, checksummed; empty for "". */
export function addressList(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => getAddress(s));
}
