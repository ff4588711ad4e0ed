import { Wallet, parseEther, type Provider, type Signer } from "ethers";
import type { NodeIdentity } from "./candidacy";

/** A devnet node's keys, as wallets (the handout file lists the candidate keys). */
export interface DevnetNode extends NodeIdentity {
  readonly candidate: Wallet;
  readonly operator: Wallet;
}

/** Every key the devnet plays with. Fresh random keys each run, so nothing here is a secret worth keeping. */
export interface DevnetAccounts {
  readonly auditors: readonly Wallet[];
  readonly nodes: readonly DevnetNode[];
  readonly voters: readonly Wallet[];
}

/** Operators pay deposits (1 ETH each on the devnet) and gas; voters pay gas only. */
const OPERATOR_FUNDS = parseEther("5");
const VOTER_FUNDS = parseEther("1");

/**
 * Creates the auditors', nodes' (candidate key + operator account) and voters' keys, and funds the
 * accounts that send transactions from the deployer (one of Hardhat's prefunded accounts).
 */
export async function createAccounts(
  funder: Signer,
  provider: Provider,
  counts: { nodes: number; voters: number },
): Promise<DevnetAccounts> {
  const fresh = () => new Wallet(Wallet.createRandom().privateKey, provider);
  const auditors = [fresh(), fresh(), fresh()];
  const nodes = Array.from({ length: counts.nodes }, (_, i) => ({
    name: `n${i}`,
    candidate: fresh(),
    operator: fresh(),
  }));
  const voters = Array.from({ length: counts.voters }, fresh);
  for (const node of nodes)
    await (await funder.sendTransaction({ to: node.operator.address, value: OPERATOR_FUNDS })).wait();
  for (const voter of voters) await (await funder.sendTransaction({ to: voter.address, value: VOTER_FUNDS })).wait();
  return { auditors, nodes, voters };
}
