/**
 * A voter approves candidates and later revokes an approval (incremental voting: each call changes
 * only what it names). The next election counts the approvals the voter holds then.
 *
 *   DEVNET_FILE=/tmp/repchain-devnet-…/devnet.json npx ts-node scripts/examples/voteAndRevoke.ts
 */
import { Wallet } from "ethers";
import { VoteRegistry__factory } from "../../typechain-types";
import { openDevnet } from "./devnet";

async function main(): Promise<void> {
  const { devnet, provider, deployment } = openDevnet();
  const voter = new Wallet(devnet.voters[4].key, provider);
  const votes = VoteRegistry__factory.connect(deployment.voteRegistry, voter);
  const [n0, n1] = devnet.nodes.map((n) => n.address);

  await (await votes.vote([n0, n1], [])).wait();
  console.log(`${voter.address} approves ${await votes.votesOf(voter.address)}`);

  await (await votes.vote([], [n1])).wait();
  console.log(`${voter.address} approves ${await votes.votesOf(voter.address)} (revoked ${n1})`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
