import { expect } from "chai";
import { ethers } from "ethers";
import { toHex } from "../../node/chain/bytes";
import { givePower, registerCandidates } from "../../node/testing/registries";
import { rpcCall, waitFor } from "../../node/testing/processCluster";
import { anvilL1 } from "../helpers/anvilL1";
import { InProcessChain, keyOf } from "../helpers/inProcessChain";

interface Election {
  epoch: number;
  representatives: { address: string; votes: string }[];
}

const EPOCH_LENGTH = 4;

/**
 * The devnet's story on Anvil instead of Hardhat: registries deployed by scripts/deploy.ts, candidates
 * registered with auditor credentials, a token holder's vote, and four representatives plus a
 * candidate as real nodes (startNode in this process: LevelDB, sockets, PoW, JSON-RPC) following
 * Anvil. The vote must change the representative set at the next epoch, as it does on Hardhat.
 */
describe("a devnet-style run on Anvil (Foundry's L1): the L1 vote elects a candidate", function () {
  this.timeout(180_000);
  let l1: Awaited<ReturnType<typeof anvilL1>>;
  const chain = new InProcessChain(4, { epochLength: EPOCH_LENGTH }, undefined, async () => (l1 = await anvilL1()));
  const candidateKey = keyOf("anvil devnet candidate");

  before(async () => {
    await chain.setUp();
    await chain.startRepresentatives();
    await chain.start(candidateKey, "candidate");
  });
  after(() => chain.tearDown());

  const node = (i: number) => chain.nodes[i].rpcUrl;

  it("registers, votes, and the next epoch's set is the voted one, signing on the L2 chain", async function () {
    const r = chain.registries;
    const reps = chain.keys.map((k) => k.address.toLowerCase());
    const candidate = candidateKey.address.toLowerCase();
    await waitFor("the first L2 blocks", 60_000, async () => (await chain.height(chain.nodes[0])) >= 1);
    await registerCandidates(
      r,
      [...chain.keys, candidateKey].map((k) => new ethers.Wallet(toHex(k.privateKey))),
    );
    const voter = await l1.provider.getSigner(5);
    await givePower(r, [voter], 10n ** 18n);
    // rep0 gets no vote: the top four by votes are rep1..rep3 and the candidate.
    await (
      await r.votes.connect(voter).vote(
        [...reps.slice(1), candidate].map((a) => ethers.getAddress(a)),
        [],
      )
    ).wait();

    let switchEpoch = 0;
    await waitFor("an election that counts the vote for the candidate", 120_000, async () => {
      const [latest] = await rpcCall<Election[]>(node(1), "repchain_getElections", [1]);
      const elected = latest?.representatives.find((x) => x.address === candidate);
      if (elected === undefined || BigInt(elected.votes) === 0n) return false;
      switchEpoch = latest.epoch;
      return true;
    });
    const [latest] = await rpcCall<Election[]>(node(1), "repchain_getElections", [1]);
    expect(latest.representatives.map((x) => x.address).sort()).to.deep.equal([...reps.slice(1), candidate].sort());
    expect(latest.representatives.every((x) => BigInt(x.votes) === 10n ** 18n)).to.equal(true);

    // The new set signs: the candidate's node becomes a representative and certifies the new epoch's blocks.
    const firstOfEpoch = switchEpoch * EPOCH_LENGTH + 1;
    await waitFor(
      "the new epoch's second block",
      60_000,
      async () => (await chain.height(chain.nodes[4])) > firstOfEpoch,
    );
    const status = await rpcCall<{ role: string }>(node(4), "repchain_status");
    expect(status.role).to.equal("representative");
    const block = await rpcCall<{ signers: string[]; header: { epoch: number } }>(node(4), "repchain_getBlock", [
      firstOfEpoch + 1,
    ]);
    expect(block.header.epoch).to.equal(switchEpoch);
    expect(block.signers.length).to.be.at.least(3);
    for (const signer of block.signers) expect([...reps.slice(1), candidate]).to.include(signer.toLowerCase());
  });
});
