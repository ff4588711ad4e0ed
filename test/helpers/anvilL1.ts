import { ethers, JsonRpcProvider } from "ethers";
import { deployGovernance } from "../../scripts/deploy";
import { startAnvil } from "../../node/testing/anvil";
import { L2_CHAIN_ID, MIN_DEPOSIT, UNBONDING_SECONDS } from "../../node/testing/registries";
import type { TestL1 } from "./inProcessChain";

/**
 * An Anvil L1 with the registries deployed by scripts/deploy.ts's deployGovernance from Anvil's
 * first account, with the parameters of node/testing/registries.ts (one auditor, threshold 1,
 * K fixed at 4, the project's VotingToken), so the registries helpers work on it as on Hardhat.
 */
export async function anvilL1(): Promise<TestL1 & { provider: JsonRpcProvider }> {
  const anvil = await startAnvil();
  const provider = new JsonRpcProvider(anvil.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
  provider.pollingInterval = 20; // receipts: ethers polls every 4 s by default
  try {
    const owner = await provider.getSigner(0);
    const auditor = new ethers.Wallet(ethers.id("repchain test auditor"));
    const g = await deployGovernance(
      owner,
      {
        auditors: [auditor.address],
        threshold: 1n,
        minDeposit: MIN_DEPOSIT,
        unbondingPeriod: UNBONDING_SECONDS,
        representativeRule: { minRepresentatives: 4n, maxRepresentatives: 4n, candidatesPerSeat: 0n },
        l2ChainId: L2_CHAIN_ID,
      },
      "anvil",
    );
    const registries = {
      auditors: g.auditorRegistry,
      candidates: g.candidateRegistry,
      votes: g.voteRegistry,
      token: g.ownVotingToken!,
      deployment: g.deployment,
      auditor,
    };
    return {
      url: anvil.url,
      provider,
      registries,
      async stop() {
        provider.destroy();
        await anvil.stop();
      },
    };
  } catch (err) {
    provider.destroy();
    await anvil.stop();
    throw err;
  }
}
