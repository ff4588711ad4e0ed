import { expect } from "chai";
import { ethers } from "ethers";
import hre from "hardhat";
import { toHex } from "../../node/chain/bytes";
import { encodeEvidence, evidenceHash } from "../../node/chain/evidence";
import type { EvidenceReport } from "../../node/rpc/nodeView";
import { rpcCall, waitFor } from "../../node/testing/processCluster";
import { doubleVote } from "../../node/testing/evidence";
import { registerCandidates } from "../../node/testing/registries";
import { InProcessChain, keyOf } from "../helpers/inProcessChain";
import { MinimalPeer } from "../p2p/minimalPeer";

const SLASHED = 5n;

/**
 * Four in-process representatives, each an L1 candidate (registered on the in-process Hardhat
 * network with its node key as signing key). rep0 and rep1 each have an L1 account that submits
 * committed vote evidence. Evidence of rep2 enters through an outside peer.
 */
describe("equivocation evidence on L1: two submitting nodes, one slashing (Hardhat)", function () {
  this.timeout(300_000);
  const chain = new InProcessChain(4);
  const submitters = [0, 1].map((i) => new ethers.Wallet(ethers.id(`evidence submitter ${i}`)));
  const envOf = (i: number) => `REPCHAIN_TEST_EVIDENCE_SUBMITTER_${i}`;
  const overrides = (i: number) => (i < 2 ? { evidenceSubmitter: { env: envOf(i) } } : {});
  let outsider: MinimalPeer | undefined;

  before(async () => {
    await chain.setUp();
    const [funder] = await hre.ethers.getSigners();
    for (const [i, w] of submitters.entries()) {
      await (await funder.sendTransaction({ to: w.address, value: ethers.parseEther("1") })).wait();
      process.env[envOf(i)] = w.privateKey;
    }
    for (const [i, key] of chain.keys.entries()) await chain.start(key, `rep${i}`, overrides(i));
  });

  after(async () => {
    outsider?.close();
    await chain.tearDown();
    for (const i of [0, 1]) delete process.env[envOf(i)];
  });

  const evidenceAt = (i: number) => rpcCall<EvidenceReport>(chain.nodes[i].rpcUrl, "repchain_getEvidence");
  const height = (i: number) => chain.height(chain.nodes[i]);

  it("the candidate is slashed exactly once, both submitters record the outcome, nobody crashes, a restart does not resubmit", async () => {
    await registerCandidates(
      chain.registries,
      chain.keys.map((k) => new ethers.Wallet(toHex(k.privateKey))),
    );
    await waitFor("every node to import the four registrations", 120_000, async () => {
      const lists = await Promise.all(chain.nodes.map((n) => rpcCall<unknown[]>(n.rpcUrl, "repchain_getCandidates")));
      return lists.every((l) => l.length === 4);
    });
    const rep2 = chain.keys[2];
    const evidence = doubleVote({ config: { genesis: chain.genesis }, state: { height: await height(3) } }, rep2, {
      kind: "prevote",
      round: 5,
    });
    const hash = evidenceHash(evidence);
    outsider = new MinimalPeer({
      url: `ws://127.0.0.1:${chain.nodes[3].p2pPort}`,
      chainId: chain.genesis.chainId,
      genesisHash: chain.genesisHash,
      privateKey: toHex(keyOf("evidence outsider").privateKey),
    });
    await outsider.authenticated;
    outsider.gossip("evidence", Buffer.from(encodeEvidence(evidence)));

    const registry = chain.registries.candidates;
    await waitFor(
      "L1 to show rep2 slashed",
      120_000,
      async () => (await registry.getCandidate(rep2.address)).status === SLASHED,
    );
    const outcomes: string[] = [];
    await waitFor("both submitters to be done with the evidence", 120_000, async () => {
      const reports = await Promise.all([0, 1].map(evidenceAt));
      const l1 = reports.map((r) => r.committed.find((c) => c.hash === hash)?.l1 ?? null);
      if (l1.some((o) => o === null)) return false;
      outcomes.splice(0, outcomes.length, ...(l1 as string[]));
      return true;
    });
    const slashings = await registry.queryFilter(registry.filters.CandidateSlashed(ethers.getAddress(rep2.address)));
    expect(slashings, "CandidateSlashed events").to.have.length(1);
    expect(
      outcomes.filter((o) => o.startsWith("submitted in L1 transaction")),
      outcomes.join(" | "),
    ).to.have.length(1);
    for (const o of outcomes) {
      expect(o).to.match(
        /^(submitted in L1 transaction 0x[0-9a-f]{64}|already slashed on L1|not slashed, the registry refused: CandidateRegistryNotSlashable\()/,
      );
    }
    // Nodes without a submitter only report the jail.
    expect((await evidenceAt(2)).committed.find((c) => c.hash === hash)?.l1).to.equal(null);

    // Neither submitter crashed: both answer and the chain goes on.
    const h = await height(0);
    await waitFor(
      "two more blocks on rep0 and rep1",
      120_000,
      async () => (await height(0)) >= h + 2 && (await height(1)) >= h + 2,
    );

    // A restart replays the committed evidence; the stored outcome keeps it from being sent again:
    // the submitter's L1 account sends no transaction (its nonce stays).
    const nonceBefore = await hre.ethers.provider.getTransactionCount(submitters[0].address);
    await chain.nodes[0].stop();
    const restarted = await chain.start(chain.keys[0], "rep0", overrides(0));
    await waitFor("the restarted node to report the stored outcome", 60_000, async () => {
      const again = await rpcCall<EvidenceReport>(restarted.rpcUrl, "repchain_getEvidence");
      return again.committed.find((c) => c.hash === hash)?.l1 === outcomes[0];
    });
    // The jail is rebuilt from the stored blocks: the same as before the restart.
    const rebuilt = await rpcCall<EvidenceReport>(restarted.rpcUrl, "repchain_getEvidence");
    expect(rebuilt.jailed).to.deep.equal((await evidenceAt(1)).jailed);
    expect(rebuilt.jailed.map((j) => j.candidate)).to.deep.equal([rep2.address]);
    const h2 = await chain.height(restarted);
    await waitFor(
      "the restarted node to finalize again",
      120_000,
      async () => (await chain.height(restarted)) >= h2 + 1,
    );
    expect(await hre.ethers.provider.getTransactionCount(submitters[0].address)).to.equal(nonceBefore);
    expect(
      await registry.queryFilter(registry.filters.CandidateSlashed(ethers.getAddress(rep2.address))),
    ).to.have.length(1);
  });
});
