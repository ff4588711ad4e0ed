import { expect } from "chai";
import { ethers } from "ethers";
import hre from "hardhat";
import { fromHex, toHex } from "../../node/chain/bytes";
import { keyPairFromPrivateKey } from "../../node/chain/signing";
import { encodeTransaction, signTransaction } from "../../node/chain/transaction";
import type { EvidenceReport } from "../../node/rpc/nodeView";
import { rpcCall, waitFor } from "../../node/testing/processCluster";
import { givePower, registerCandidates } from "../../node/testing/registries";
import { InProcessChain } from "../helpers/inProcessChain";

interface Election {
  epoch: number;
  representatives: { address: string }[];
  excluded: { candidate: string; reason: string }[];
}

/**
 * Four in-process representatives, rep3 started with the TEST ONLY equivocation switch; the four
 * and one more candidate (no node) registered on L1 with K = 4, rep3 with the only vote, so an
 * election without the jail would keep it. The fifth sends a transaction now and then (it is
 * electable only while alive).
 */
describe("one equivocating representative among four in-process nodes", function () {
  this.timeout(300_000);
  const chain = new InProcessChain(4, { epochLength: 8 });
  const extra = new ethers.Wallet(ethers.id("the fifth candidate"));

  before(async () => {
    await chain.setUp();
    for (const [i, key] of chain.keys.entries()) {
      await chain.start(key, `rep${i}`, {}, i === 3 ? { REPCHAIN_TEST_EQUIVOCATE: "1" } : {});
    }
  });

  after(() => chain.tearDown());

  /** The fifth candidate runs no node: a transaction from its key keeps it electable (alive, liveness.ts). */
  async function heartbeat(): Promise<void> {
    const url = chain.nodes[0].rpcUrl;
    const nonce = BigInt(await rpcCall<string>(url, "repchain_getNonce", [extra.address]));
    const key = keyPairFromPrivateKey(fromHex(extra.privateKey, 32));
    const tx = signTransaction(chain.genesis.chainId, key, nonce, "0x01");
    await rpcCall(url, "repchain_sendTransaction", [toHex(encodeTransaction(tx))]).catch(() => undefined); // pending already
  }

  it("its evidence is gossiped and finalized, it is jailed on every node and left out of the next election", async () => {
    const byzantine = chain.keys[3].address;
    const r = chain.registries;
    await registerCandidates(r, [...chain.keys.map((k) => new ethers.Wallet(toHex(k.privateKey))), extra]);
    const [, voter] = await hre.ethers.getSigners();
    await givePower(r, [voter], 10n);
    await (await r.votes.connect(voter).vote([ethers.getAddress(byzantine)], [])).wait();

    await waitFor("every node to jail rep3 for committed evidence", 120_000, async () => {
      const reports = await Promise.all(
        chain.nodes.map((n) => rpcCall<EvidenceReport>(n.rpcUrl, "repchain_getEvidence")),
      );
      return reports.every(
        (rep) => rep.jailed.some((j) => j.candidate === byzantine) && rep.committed.some((c) => c.signer === byzantine),
      );
    });
    // The first election that sees all five candidates: four are electable, rep3 is not among them.
    let election: Election | undefined;
    await waitFor("an election over the five registered candidates", 180_000, async () => {
      const [latest] = await rpcCall<Election[]>(chain.nodes[0].rpcUrl, "repchain_getElections", [1]);
      await heartbeat();
      if (latest?.representatives.some((x) => x.address === extra.address.toLowerCase())) election = latest;
      return election !== undefined;
    });
    expect(election!.representatives.map((x) => x.address).sort()).to.deep.equal(
      [...chain.keys.slice(0, 3).map((k) => k.address), extra.address.toLowerCase()].sort(),
    );
    // The election says why the one candidate with votes is not in it.
    expect(election!.excluded).to.deep.include({ candidate: byzantine, signingKey: byzantine, reason: "equivocation" });
    for (const node of chain.nodes) {
      await waitFor("each node to hold that election", 60_000, async () => {
        const reps = await rpcCall<{ address: string }[] | null>(node.rpcUrl, "repchain_getRepresentatives", [
          election!.epoch,
        ]).catch(() => null);
        return reps !== null && !reps.some((x) => x.address === byzantine) && reps.length === 4;
      });
      const report = await rpcCall<EvidenceReport>(node.rpcUrl, "repchain_getEvidence");
      for (const c of report.committed) expect(c.signer, "only rep3 is ever accused").to.equal(byzantine);
    }
  });
});
