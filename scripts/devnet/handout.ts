import { writeFileSync } from "node:fs";
import type { DevnetAccounts } from "./accounts";

/** What a person driving the devnet by hand needs (--no-story): endpoints and the throwaway keys. */
export interface DevnetHandout {
  readonly l1Url: string;
  readonly deploymentsDir: string;
  readonly auditors: readonly string[];
  readonly nodes: readonly {
    name: string;
    address: string;
    rpcUrl: string;
    candidateKey: string;
    operatorKey: string;
  }[];
  /** Funded accounts to vote with (v0–v3 cast the genesis votes; the story uses the others unless --no-story). */
  readonly voters: readonly { address: string; key: string }[];
}

/**
 * Writes `<data-dir>/devnet.json` (owner-only: it holds the devnet's keys, random for
 * this run and worthless elsewhere) and returns the command line that points the Hardhat tasks at
 * this devnet.
 */
export function writeHandout(path: string, handout: DevnetHandout): string {
  writeFileSync(path, JSON.stringify(handout, null, 2) + "\n", { mode: 0o600 });
  return `REPCHAIN_DEVNET_URL=${handout.l1Url} REPCHAIN_DEPLOYMENTS_DIR=${handout.deploymentsDir} npx hardhat <task> --network devnet`;
}

export function handoutNodes(accounts: DevnetAccounts, rpcUrls: readonly string[]): DevnetHandout["nodes"] {
  return accounts.nodes.map((n, i) => ({
    name: n.name,
    address: n.candidate.address.toLowerCase(),
    rpcUrl: rpcUrls[i],
    candidateKey: n.candidate.privateKey,
    operatorKey: n.operator.privateKey,
  }));
}

export function handoutVoters(accounts: DevnetAccounts): DevnetHandout["voters"] {
  return accounts.voters.map((v) => ({ address: v.address.toLowerCase(), key: v.privateKey }));
}
