import type { Provider } from "ethers";

/**
 * The block that created the contract at `address`: the first block at which it has code, found
 * by binary search over eth_getCode (O(log head) calls). The follower reads events from there: the
 * registries' constructor events, and an existing voting token's whole history (power recorded
 * before the registries were deployed counts). `after` is a hint: a block before which the
 * contract is known not to matter (the search covers earlier blocks when the code was already
 * there). Needs a node that answers eth_getCode at old blocks (an archive node, or any Hardhat or
 * Anvil chain).
 */
export async function creationBlock(provider: Provider, address: string, after = 0): Promise<number> {
  const hasCode = async (block: number) => (await provider.getCode(address, block)) !== "0x";
  let high = await provider.getBlockNumber();
  if (!(await hasCode(high))) throw new Error(`no contract at ${address} at block ${high}`);
  let low = after > 0 && !(await hasCode(after)) ? after + 1 : 0;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (await hasCode(middle)) high = middle;
    else low = middle + 1;
  }
  return low;
}
