/**
 * Don't trust, recount: reads the newest election from a node's JSON-RPC, then recounts it from L1
 * alone, as of the L1 block B that election counted (the anchor of the block before it): active
 * candidates whose credentials are valid at B's time, ranked by the sum of getPastVotes(voter, B)
 * over the voters whose approval of the candidate's current registration stands at B (ties to the
 * lower address), the top K of the registry's K rule at B. Exits 1 if the node's answer differs.
 *
 * The chain adds rules of its own that L1 cannot see (docs/consensus.md): a candidate jailed for
 * equivocation, or whose signing key signed nothing on the chain in the epoch or was down, is left
 * out. Those are L2 facts: the recount takes them from the node's election record (`excluded`),
 * prints them, and recounts without those candidates.
 *
 *   DEVNET_FILE=/tmp/repchain-devnet-…/devnet.json npx ts-node scripts/examples/representatives.ts
 */
import { CandidateRegistry__factory, IVotes__factory, VoteRegistry__factory } from "../../typechain-types";
import { openDevnet } from "./devnet";

const ACTIVE = 1n; // ICandidateRegistry.CandidateStatus.Active
const MIN_REPRESENTATIVES = 4; // fewer eligible: the chain keeps the previous set (no BFT quorum)

interface Election {
  epoch: number;
  height: number;
  representatives: { address: string; votes: string }[];
  excluded: { candidate: string; reason: string }[] | null;
}

async function rpc<T>(url: string, method: string, params: unknown[]): Promise<T> {
  const res = await fetch(url, { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await res.json()) as { result: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

async function main(): Promise<void> {
  const { devnet, provider, deployment } = openDevnet();
  const node = devnet.nodes[0].rpcUrl;
  const current = await rpc<{ address: string; votes: string }[]>(node, "repchain_getRepresentatives", []);
  console.log(`the node's representatives now: ${current.map((r) => `${r.address} (${r.votes})`).join(", ")}`);
  const [election] = await rpc<Election[]>(node, "repchain_getElections", [1]);
  const parent = await rpc<{ header: { l1AnchorNumber: number } }>(node, "repchain_getBlock", [election.height - 1]);
  const blockTag = parent.header.l1AnchorNumber;
  const snapshotTime = BigInt((await provider.getBlock(blockTag))!.timestamp);

  const candidates = CandidateRegistry__factory.connect(deployment.candidateRegistry, provider);
  const votes = VoteRegistry__factory.connect(deployment.voteRegistry, provider);
  const listed = await candidates.candidates(0, await candidates.candidateCount({ blockTag }), { blockTag });
  const eligible = new Map<string, bigint>();
  for (const address of listed) {
    const c = await candidates.getCandidate(address, { blockTag });
    if (c.status === ACTIVE && c.credentialExpiry > snapshotTime) eligible.set(address.toLowerCase(), 0n);
  }
  const range = { fromBlock: deployment.deploymentBlock, toBlock: blockTag };
  // getPastVotes needs a block in the past: B is confirmed, so later blocks exist.
  const voters = new Set(
    (await votes.queryFilter(votes.filters.VoteCast(), range.fromBlock, range.toBlock)).map((e) => e.args.voter),
  );
  const token = IVotes__factory.connect(deployment.votingToken, provider);
  for (const voter of voters) {
    const power = await token.getPastVotes(voter, blockTag);
    for (const approval of await votes.approvalsOf(voter, { blockTag })) {
      const key = approval.candidate.toLowerCase();
      if (approval.live && eligible.has(key)) eligible.set(key, eligible.get(key)! + power);
    }
  }
  for (const { candidate, reason } of election.excluded ?? []) {
    if (eligible.delete(candidate.toLowerCase()))
      console.log(`left out by the chain's rules: ${candidate} (${reason})`);
  }
  const k = Number(await candidates.representativeCount(eligible.size, { blockTag }));
  const ranked = [...eligible].sort(([a, x], [b, y]) => (x !== y ? (y > x ? 1 : -1) : a < b ? -1 : 1));
  const recount = ranked.slice(0, k).map(([address, n]) => `${address} (${n})`);
  const announced = election.representatives.map((r) => `${r.address} (${r.votes})`);
  console.log(`election for epoch ${election.epoch}, counted at L1 block ${blockTag}: ${announced.join(", ")}`);
  if (eligible.size < MIN_REPRESENTATIVES) return console.log(`only ${eligible.size} eligible: the set stays`);
  console.log(`recounted from L1: ${recount.join(", ")}`);
  const agree = recount.join() === announced.join();
  console.log(agree ? "the node's election matches the recount" : "MISMATCH");
  if (!agree) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
