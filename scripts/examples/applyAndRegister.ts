/**
 * A node becomes a candidate through the auditors (patent S201–S205): it answers each auditor's
 * qualification challenge (the auditors measure the device), its node key signs the application
 * and its consent to the operator, the auditors review it and sign credentials bound to that
 * operator, and the operator account registers the candidate with those credentials and the deposit.
 *
 *   DEVNET_FILE=/tmp/repchain-devnet-…/devnet.json npx ts-node scripts/examples/applyAndRegister.ts n4
 */
import { Wallet } from "ethers";
import { CandidateRegistry__factory } from "../../typechain-types";
import { applyForCandidacy, readRegistryContext } from "../../node/auditor/client/apply";
import type { Address } from "../../node/types/primitives";
import { openDevnet } from "./devnet";

async function main(nodeName: string): Promise<void> {
  const { devnet, provider, deployment } = openDevnet();
  const node = devnet.nodes.find((n) => n.name === nodeName)!;
  const candidate = new Wallet(node.candidateKey, provider);
  const operator = new Wallet(node.operatorKey, provider);
  const registry = CandidateRegistry__factory.connect(deployment.candidateRegistry, operator);

  const context = await readRegistryContext(provider, {
    candidateRegistry: deployment.candidateRegistry.toLowerCase() as Address,
    auditorRegistry: deployment.auditorRegistry.toLowerCase() as Address,
  });
  const result = await applyForCandidacy({
    ...context,
    candidate,
    operator,
    auditorUrls: devnet.auditors,
    deposit: await registry.minDeposit(),
    creditValue: 100n, // what the devnet's credit file vouches for each operator
    register: true,
    requestTimeoutMs: 5_000,
    waitTimeoutMs: 30_000,
    pollIntervalMs: 200,
    onProgress: (line) => console.log(line),
  });
  const record = await registry.getCandidate(candidate.address);
  console.log(
    `${nodeName} ${candidate.address}: registered by ${result.registrationTx}, deposit ${record.deposit} wei`,
  );
}

main(process.argv[2] ?? "n4").catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
