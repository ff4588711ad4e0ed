/**
 * Equivocation evidence with ethers: two conflicting prevotes of one validator key at the same height and
 * round (signed here with the node's own vote digest and signing code, as a faulty node would), submitted
 * by anyone. The registry recomputes the digest, slashes 5% of the deposit and credits the submitter 10% of
 * that, which it then withdraws.
 *
 *   CANDIDATE_KEY=0x… DEVNET_FILE=/tmp/repchain-devnet-…/devnet.json npx ts-node scripts/examples/submitEvidence.ts
 */
import { Wallet, getBytes, id } from "ethers";
import { CandidateRegistry__factory } from "../../typechain-types";
import { voteDigest } from "../../node/chain/voteDigest";
import { signDigest } from "../../node/chain/signing";
import { openDevnet } from "./devnet";

async function main(): Promise<void> {
  const { devnet, provider, deployment } = openDevnet();
  const key = process.env.CANDIDATE_KEY;
  if (!key) throw new Error("CANDIDATE_KEY: expected the private key of a registered candidate's signing key");
  const equivocator = new Wallet(key);
  const submitter = new Wallet(devnet.voters[6].key, provider);
  const registry = CandidateRegistry__factory.connect(deployment.candidateRegistry, submitter);
  const chainId = await registry.l2ChainId();
  const [height, round] = [1_000_000, 0];
  const [hashA, hashB] = [id("block A"), id("block B")] as `0x${string}`[];
  const sign = (hash: `0x${string}`) =>
    signDigest(voteDigest("prevote", chainId, height, round, hash), getBytes(equivocator.privateKey));

  const tx = await registry.submitEquivocation(
    equivocator.address,
    1,
    height,
    round,
    hashA,
    sign(hashA),
    hashB,
    sign(hashB),
  );
  const receipt = await tx.wait();
  console.log(`${equivocator.address} slashed in block ${receipt!.blockNumber}`);
  const reward = await registry.withdrawable(submitter.address);
  await (await registry.withdrawRefund(submitter.address)).wait();
  console.log(`the submitter ${submitter.address} withdrew its reward of ${reward} wei`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
