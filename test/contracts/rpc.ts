/**
 * The registries driven as a wallet and a dapp would: over HTTP JSON-RPC on a real socket, with accounts
 * that sign through the node's eth_signTypedData_v4 (ethers JsonRpcSigner) rather than in-process keys.
 */
import { expect } from "chai";
import hre from "hardhat";
import { TASK_NODE_CREATE_SERVER } from "hardhat/builtin-tasks/task-names";
import { JsonRpcProvider } from "ethers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { deployGovernance } from "../../scripts/deploy";
import { auditorSignature, readDomain, signCandidateConsent, signCredential, signVote } from "../../node/types/eip712";

interface JsonRpcServer {
  listen(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}

describe("registries over HTTP JSON-RPC", () => {
  let server: JsonRpcServer;
  let provider: JsonRpcProvider;

  before(async () => {
    server = (await hre.run(TASK_NODE_CREATE_SERVER, {
      hostname: "127.0.0.1",
      port: 0,
      provider: hre.network.provider,
    })) as JsonRpcServer;
    const { port } = await server.listen();
    provider = new JsonRpcProvider(`http://127.0.0.1:${port}`, undefined, { staticNetwork: true });
  });

  after(async () => {
    provider.destroy();
    await server.close();
  });

  it("deploys, registers with wallet-signed credentials and relays a wallet-signed vote", async () => {
    const [owner, a0, a1, operator, voter, relayer] = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) => provider.getSigner(i)),
    );
    const { candidateRegistry, voteRegistry, deployment } = await deployGovernance(
      owner,
      {
        auditors: [a0.address, a1.address],
        threshold: 2n,
        minDeposit: 10n ** 17n,
        unbondingPeriod: 60n,
      },
      "localhost",
    );
    expect(deployment.chainId).to.equal(31337);

    const candidateKey = new hre.ethers.Wallet(hre.ethers.id("rpc test candidate"));
    const candidate = candidateKey.address;
    const domain = await readDomain(provider, deployment.candidateRegistry);
    const now = BigInt(await time.latest());
    const credential = {
      candidate,
      operator: operator.address,
      qualificationHash: hre.ethers.id("measured 900 tps"),
      approve: true,
      issuedAt: now,
      expiresAt: now + 86_400n,
      nonce: 0n,
    };
    const signatures = [];
    for (const auditor of [a1, a0]) {
      signatures.push(auditorSignature(credential, await signCredential(auditor, domain, credential)));
    }
    const consentSignature = await signCandidateConsent(candidateKey, domain, {
      candidate,
      operator: operator.address,
      nonce: 0n,
    });
    const app = { candidate, operator: operator.address, qualificationHash: credential.qualificationHash, signatures };
    await (
      await candidateRegistry.connect(operator).registerCandidate({ ...app, consentSignature }, { value: 10n ** 17n })
    ).wait();
    expect(await candidateRegistry.isCandidate(candidate)).to.equal(true);

    const voteDomain = await readDomain(provider, deployment.voteRegistry);
    const deadline = BigInt(await time.latest()) + 600n;
    const message = { voter: voter.address, add: [candidate], revoke: [], nonce: 0n, deadline };
    const signature = await signVote(voter, voteDomain, message);
    await (await voteRegistry.connect(relayer).voteBySig(voter.address, [candidate], [], deadline, signature)).wait();
    expect(await voteRegistry.votesOf(voter.address)).to.deep.equal([hre.ethers.getAddress(candidate)]);
  });
});
