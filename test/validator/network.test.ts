import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ethers } from "ethers";
import { Cluster, initClusterGenesis, rpcCall, waitFor, type ClusterNode } from "../../node/testing/processCluster";
import { runCli } from "../../node/testing/cli";
import { startDevnet, type Devnet } from "../../node/testing/hardhatServer";
import hre from "hardhat";
import { deployRegistries, givePower, registerCandidates, type Registries } from "../../node/testing/registries";

interface Status {
  height: number;
  /** The consensus round and step at height + 1. */
  round: number;
  step: string;
  epoch: number;
  role: string;
  peers: string[];
}
interface Election {
  epoch: number;
  height: number;
  representatives: { address: string; votes: string }[];
}

const EPOCH_LENGTH = 6;

describe("validator nodes as separate processes", function () {
  // Seven ts-node processes start in 10–80 s on a loaded 2-core machine: generous timeouts.
  this.timeout(600_000);
  let devnet: Devnet;
  let r: Registries;
  let cluster!: Cluster;
  let reps: ClusterNode[];
  let observers: ClusterNode[];
  const repKeys = Array.from({ length: 4 }, (_, i) => ethers.id(`repchain network test representative ${i}`));
  const candidateKey = ethers.id("repchain network test candidate");
  const candidateAddress = new ethers.Wallet(candidateKey).address.toLowerCase();
  let candidate: ClusterNode;
  const status = (n: ClusterNode) => rpcCall<Status>(n.rpcUrl, "repchain_status");
  const maxHeight = async (nodes: ClusterNode[]) =>
    Math.max(...(await Promise.all(nodes.map((n) => cluster.height(n).catch(() => 0)))));
  const repAddresses = repKeys.map((k) => new ethers.Wallet(k).address.toLowerCase());

  before(async function () {
    devnet = await startDevnet();
    r = await deployRegistries(4n);
    const dir = mkdtempSync(join(tmpdir(), "repchain-net-"));
    const { deploymentFile, genesisFile } = await initClusterGenesis(dir, r.deployment, repAddresses, EPOCH_LENGTH);
    cluster = new Cluster(dir, genesisFile, deploymentFile, devnet.url);
    reps = [];
    for (let i = 0; i < 4; i++) reps.push(await cluster.add({ key: repKeys[i], name: `rep${i}` }));
    observers = [
      await cluster.add({ key: null, name: "observer0" }),
      await cluster.add({ key: null, name: "observer1" }),
    ];
    candidate = await cluster.add({ key: candidateKey, name: "candidate" });
    for (const node of cluster.nodes) cluster.start(node);
  });

  after(async function () {
    await cluster?.stopAll();
    await devnet?.stop();
  });

  afterEach(function () {
    if (this.currentTest?.state === "failed") {
      for (const n of cluster.nodes)
        process.stderr.write(
          `--- ${n.spec.name}\n${n.log
            .split("\n")
            .filter((l) => !l.includes("block finalized"))
            .slice(-25)
            .join("\n")}\n`,
        );
    }
  });

  /** 4 representatives finalize blocks and the non-representatives verify and store them. */
  async function finalizesAndObserversStore(): Promise<void> {
    await waitFor("every node's JSON-RPC", 240_000, async () => {
      await Promise.all(cluster.nodes.map((n) => cluster.height(n)));
      return true;
    });
    await waitFor("height 3 on every node", 180_000, async () => {
      const heights = await Promise.all(cluster.nodes.map((n) => cluster.height(n)));
      return heights.every((h) => h >= 3);
    });
    const fromRep = await rpcCall<{ hash: string; signers: string[] }>(reps[0].rpcUrl, "repchain_getBlock", [2]);
    const fromObserver = await rpcCall<{ hash: string }>(observers[1].rpcUrl, "repchain_getBlock", [2]);
    expect(fromObserver.hash).to.equal(fromRep.hash);
    expect(fromRep.signers.length).to.be.at.least(3);
    const status = await rpcCall<{ role: string; peers: string[] }>(reps[1].rpcUrl, "repchain_status");
    expect(status.role).to.equal("representative");
    expect(status.peers.length).to.equal(cluster.nodes.length - 1);
    const observerStatus = await rpcCall<{ role: string }>(observers[0].rpcUrl, "repchain_status");
    expect(observerStatus.role).to.equal("ordinary");
  }

  /** `repchain tx heartbeat` signs a heartbeat with the given key and sends it; a block holds it. */
  async function heartbeatLandsInABlock(): Promise<void> {
    const key = ethers.id("repchain network test heartbeat");
    const sent = await runCli(["tx", "heartbeat", "--rpc", reps[0].rpcUrl], { REPCHAIN_NODE_KEY: key });
    expect(sent.code, sent.stderr).to.equal(0);
    const { hash, from } = JSON.parse(sent.stdout) as { hash: string; from: string };
    expect(from).to.equal(new ethers.Wallet(key).address.toLowerCase());
    await waitFor("the heartbeat in a block", 120_000, async () => {
      const tx = await rpcCall<{ status: string }>(observers[1].rpcUrl, "repchain_getTransaction", [hash]).catch(
        () => null,
      );
      return tx?.status === "finalized";
    });
  }

  /** Candidates registered and voted on L1 change the representative set at the next epoch boundary. */
  async function electsTheVotedCandidate(): Promise<void> {
    const checksummed = [...repAddresses, candidateAddress].map((a) => ethers.getAddress(a));
    await registerCandidates(
      r,
      [...repKeys, candidateKey].map((k) => new ethers.Wallet(k)),
    );
    const [, voter] = await hre.ethers.getSigners();
    await givePower(r, [voter], 10n ** 18n);
    // rep0 gets no vote: the top 4 are rep1..rep3 and the new candidate.
    await (await r.votes.connect(voter).vote(checksummed.slice(1), [])).wait();
    let switchEpoch = 0;
    // Not the first election that elects the candidate: one held between the registrations and the
    // vote elects it too (all five have 0 votes, the lower address wins the tie) and keeps rep0.
    // Wait for the election whose counts show the vote: the candidate elected with its one vote.
    await waitFor("an election that counts the vote for the candidate", 180_000, async () => {
      const [latest] = await rpcCall<Election[]>(reps[1].rpcUrl, "repchain_getElections", [1]);
      const elected = latest?.representatives.find((x) => x.address === candidateAddress);
      if (elected === undefined || BigInt(elected.votes) === 0n) return false;
      switchEpoch = latest.epoch;
      return true;
    });
    // The observer may be a block behind the representative that answered: wait until it holds the election.
    let elected: { address: string }[] = [];
    await waitFor("the observer to hold that election", 60_000, async () => {
      elected = await rpcCall<{ address: string }[]>(observers[0].rpcUrl, "repchain_getRepresentatives", [switchEpoch]);
      return true;
    });
    expect(elected.map((x) => x.address).sort()).to.deep.equal([...repAddresses.slice(1), candidateAddress].sort());
    const before = await rpcCall<{ address: string }[]>(observers[0].rpcUrl, "repchain_getRepresentatives", [
      switchEpoch - 1,
    ]);
    expect(before.map((x) => x.address)).to.include(repAddresses[0]);
    await waitFor("every node in the new epoch", 120_000, async () =>
      (await Promise.all([reps[0], candidate].map(status))).every((s) => s.epoch >= switchEpoch),
    );
    expect((await status(reps[0])).role).to.equal("candidate");
    expect((await status(candidate)).role).to.equal("representative");
    // The new set finalizes: blocks of the new epoch are certified by it.
    await waitFor(
      "a block of the new epoch",
      60_000,
      async () => (await maxHeight(reps)) > switchEpoch * EPOCH_LENGTH + 1,
    );
    let block: { signers: string[] } = { signers: [] };
    await waitFor("rep1 to hold the new epoch's first block", 60_000, async () => {
      block = await rpcCall<{ signers: string[] }>(reps[1].rpcUrl, "repchain_getBlock", [
        switchEpoch * EPOCH_LENGTH + 1,
      ]);
      return true;
    });
    expect(block.signers.length).to.be.at.least(3);
    for (const signer of block.signers) expect([...repAddresses.slice(1), candidateAddress]).to.include(signer);
  }

  /** A withdrawn candidate stops being elected. */
  async function dropsTheWithdrawnCandidate(): Promise<void> {
    await (await r.candidates.withdraw(ethers.getAddress(candidateAddress))).wait();
    const withdrawnAt = await maxHeight(reps);
    let epoch = 0;
    await waitFor("an election without the withdrawn candidate", 180_000, async () => {
      const [latest] = await rpcCall<Election[]>(reps[1].rpcUrl, "repchain_getElections", [1]);
      if (latest === undefined || latest.height <= withdrawnAt) return false;
      epoch = latest.epoch;
      return !latest.representatives.some((x) => x.address === candidateAddress);
    });
    await waitFor("the candidate's node in that epoch", 120_000, async () => (await status(candidate)).epoch >= epoch);
    expect((await status(candidate)).role).to.equal("ordinary");
    expect((await status(reps[0])).role).to.equal("representative");
  }

  /** A representative killed with SIGKILL catches up after a restart while the others keep finalizing. */
  async function killedRepresentativeCatchesUp(): Promise<void> {
    await cluster.kill(reps[2]);
    const atKill = await maxHeight([reps[0], reps[1], reps[3]]);
    await waitFor("progress without rep2", 120_000, async () => (await maxHeight([reps[0], reps[1]])) >= atKill + 3);
    cluster.start(reps[2]);
    const target = await maxHeight([reps[0], reps[1]]);
    await waitFor("rep2 caught up", 180_000, async () => (await cluster.height(reps[2])) >= target);
    const h = target;
    const [a, b] = await Promise.all(
      [reps[2], reps[0]].map((n) => rpcCall<{ hash: string }>(n.rpcUrl, "repchain_getBlock", [h])),
    );
    expect(a.hash).to.equal(b.hash);
  }

  /** A node restarted with an empty data folder syncs from its peers. */
  async function wipedNodeSyncs(): Promise<void> {
    await cluster.kill(observers[0]);
    cluster.wipe(observers[0]);
    cluster.start(observers[0]);
    const target = await maxHeight(reps);
    await waitFor("the wiped node synced", 180_000, async () => (await cluster.height(observers[0])) >= target);
    const [a, b] = await Promise.all(
      [observers[0], reps[1]].map((n) => rpcCall<{ hash: string }>(n.rpcUrl, "repchain_getBlock", [target])),
    );
    expect(a.hash).to.equal(b.hash);
  }

  /** With 2 of 4 representatives stopped nothing is finalized, and finality resumes when one returns. */
  async function stallsWithoutQuorumAndResumes(): Promise<void> {
    const current = await rpcCall<{ address: string }[]>(reps[1].rpcUrl, "repchain_getRepresentatives", []);
    const byAddress = new Map(
      cluster.nodes
        .filter((n) => n.spec.key !== null)
        .map((n) => [new ethers.Wallet(n.spec.key!).address.toLowerCase(), n]),
    );
    const members = current.map((x) => byAddress.get(x.address)!);
    expect(members.length).to.equal(4);
    await Promise.all([cluster.kill(members[0]), cluster.kill(members[1])]);
    // No fixed wait: the survivors' own state shows they have done all they can. A block certified
    // before the kills may still land; after that both sit at one height, each having cast its
    // prevote for the next block, and 2 prevotes of 4 are no quorum: no timeout or message can move
    // them on until a stopped representative returns.
    const survivors = members.slice(2);
    let stalled = 0;
    await waitFor("both survivors at one height, voted and waiting for a quorum", 120_000, async () => {
      const [a, b] = await Promise.all(survivors.map(status));
      stalled = a.height;
      return a.height === b.height && a.round === b.round && [a, b].every((s) => s.step !== "propose");
    });
    expect(await maxHeight(survivors)).to.equal(stalled);
    cluster.start(members[0]);
    await waitFor("finality resumed", 120_000, async () => (await maxHeight(members.slice(2))) > stalled + 1);
    cluster.start(members[1]);
  }

  /** A node stops cleanly on SIGTERM (exit 0) and restarts from its store. */
  async function stopsOnSigtermAndRestarts(): Promise<void> {
    const before = await cluster.height(observers[1]);
    expect(await cluster.kill(observers[1], "SIGTERM")).to.equal(0);
    expect(observers[1].log).to.include('"node stopped"');
    cluster.start(observers[1]);
    await waitFor("the restarted node's JSON-RPC", 180_000, async () => (await cluster.height(observers[1])) >= before);
  }

  /**
   * Runs one step of the scenario; a failure names the step. One scenario, not one `it` per step:
   * each step builds on the chain the previous one left (registrations, kills, a wipe).
   */
  async function step(name: string, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (err) {
      throw new Error(`step "${name}": ${(err as Error).message}\n${await consensusStates()}`, { cause: err });
    }
  }

  /** Every node's height, round, step and peer count, or why it did not answer: what a stall needs. */
  async function consensusStates(): Promise<string> {
    const lines = await Promise.all(
      cluster.nodes.map(async (n) => {
        const st = await status(n).catch((e: unknown) => (e as Error).message);
        if (typeof st === "string") return `${n.spec.name}: no answer (${st})`;
        return `${n.spec.name}: height ${st.height} round ${st.round} step ${st.step}, ${st.peers.length} peers`;
      }),
    );
    return lines.join("\n");
  }

  it("a network of 4 representatives, 2 observers and a candidate finalizes, follows the L1 elections and survives kills and a wipe", async function () {
    await step(
      "4 representatives finalize blocks and the non-representatives verify and store them",
      finalizesAndObserversStore,
    );
    await step("repchain tx heartbeat sends a heartbeat that a block holds", heartbeatLandsInABlock);
    await step(
      "candidates registered and voted on L1 change the representative set at the next epoch boundary",
      electsTheVotedCandidate,
    );
    await step("a withdrawn candidate stops being elected", dropsTheWithdrawnCandidate);
    await step(
      "a representative killed with SIGKILL catches up after a restart while the others keep finalizing",
      killedRepresentativeCatchesUp,
    );
    await step("a node restarted with an empty data folder syncs from its peers", wipedNodeSyncs);
    await step(
      "with 2 of 4 representatives stopped nothing is finalized, and finality resumes when one returns",
      stallsWithoutQuorumAndResumes,
    );
    await step("a node stops cleanly on SIGTERM (exit 0) and restarts from its store", stopsOnSigtermAndRestarts);
  });
});
