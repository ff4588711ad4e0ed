/**
 * What every example needs from a running devnet: `npm run devnet -- --no-story` prints the path
 * of its devnet.json (L1 URL, deployment folder, auditors, nodes' RPC URLs and throwaway keys).
 * Against another network, replace this with your own RPC URL, deployment file and keys.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { JsonRpcProvider } from "ethers";
import type { DevnetHandout } from "../devnet/handout";
import { loadDeployment } from "../../node/types/deployment";

export function openDevnet() {
  const file = process.env.DEVNET_FILE;
  if (!file) throw new Error("set DEVNET_FILE to the devnet.json that `npm run devnet` printed");
  const devnet = JSON.parse(readFileSync(file, "utf8")) as DevnetHandout;
  // No response cache: ethers would otherwise answer a second transaction's nonce query from the
  // first one's (its default 250 ms cache), and the L1 refuses the reused nonce.
  const provider = new JsonRpcProvider(devnet.l1Url, undefined, { pollingInterval: 200, cacheTimeout: -1 });
  const deployment = loadDeployment(join(devnet.deploymentsDir, "devnet.json"));
  return { devnet, provider, deployment };
}
