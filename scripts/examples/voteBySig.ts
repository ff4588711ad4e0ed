/**
 * A voter without gas signs its vote (EIP-712), and anyone relays it: the relayer pays the gas,
 * the vote counts as the voter's. The signature covers the voter's nonce and a deadline, so it can
 * be used once and only in time.
 *
 *   DEVNET_FILE=/tmp/repchain-devnet-…/devnet.json npx ts-node scripts/examples/voteBySig.ts
 */
import { Wallet } from "ethers";
import { VoteRegistry__factory } from "../../typechain-types";
import { readDomain, signVote } from "../../node/types/eip712";
import { openDevnet } from "./devnet";

async function main(): Promise<void> {
  const { devnet, provider, deployment } = openDevnet();
  const voter = new Wallet(devnet.voters[5].key); // signs offline: no provider needed
  const relayer = new Wallet(devnet.voters[6].key, provider);
  const votes = VoteRegistry__factory.connect(deployment.voteRegistry, relayer);
  const candidate = devnet.nodes[2].address;

  const vote = {
    voter: voter.address,
    add: [candidate],
    revoke: [],
    nonce: await votes.nonces(voter.address),
    deadline: BigInt(Math.floor(Date.now() / 1000) + 600),
  };
  const signature = await signVote(voter, await readDomain(provider, deployment.voteRegistry), vote);
  console.log(`${voter.address} signed a vote for ${candidate}`);

  const receipt = await (await votes.voteBySig(vote.voter, vote.add, vote.revoke, vote.deadline, signature)).wait();
  console.log(`relayed by ${receipt!.from} in block ${receipt!.blockNumber}`);
  console.log(`${voter.address} approves ${await votes.votesOf(voter.address)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
