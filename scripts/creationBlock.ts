import type { Provider } from "ethers";

/**
 * The block that created the contract at `address`: the first block at which it has code, found
 * by binary search over eth_getCode (O(log head) calls). The deploy records it for an existing
 * voting token, because the node reads the token's voting-power history from there: power
 * recorded before the registries were deployed counts. Needs a node that answers eth_getCode at
 * old blocks (an archive node, or any Hardhat/Anvil chain).
 */
export async function creationBlock(provider: Provider, address: string): Promise<number> {
  const hasCode = async (block: number) => (await provider.getCode(address, block)) !== "0x";
  let high = await provider.getBlockNumber();
  if (!(await hasCode(high))) throw new Error(`no contract at ${address} at block ${high}`);
  let low = 0; // invariant: no code at low (block 0 is the genesis), code at high
  if (await hasCode(low)) return 0;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (await hasCode(mid)) high = mid;
    else low = mid;
  }
  return high;
}
