import type { Registries } from "../../node/testing/registries";

/**
 * The rule, recounted from the contracts alone at L1 block `block` (which must be in the
 * past: getPastVotes refuses the current block): the votes of candidate c are the sum, over the
 * voters whose approval of c's current registration stands at `block` (approvalsOf(voter).live
 * read at that block), of token.getPastVotes(voter, block). Keys are lowercase addresses; only
 * candidates with a non-zero sum appear, as in the node's tally.
 */
export async function onChainTally(
  r: Pick<Registries, "votes" | "token">,
  voters: readonly string[],
  block: number,
): Promise<Map<string, bigint>> {
  const tally = new Map<string, bigint>();
  for (const voter of voters) {
    const power = await r.token.getPastVotes(voter, block);
    const approvals = await r.votes.approvalsOf(voter, { blockTag: block });
    for (const approval of approvals) {
      if (!approval.live || power === 0n) continue;
      const candidate = approval.candidate.toLowerCase();
      tally.set(candidate, (tally.get(candidate) ?? 0n) + power);
    }
  }
  return tally;
}
