import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ethers } from "ethers";
import { runCli } from "../helpers/cli";
import { Cluster, rpcCall, waitFor, type ClusterNode } from "../helpers/cluster";
import { startDevnet, type Devnet } from "../helpers/devnet";
import { deployRegistries, type Registries } from "../helpers/registries";

const EPOCH_LENGTH = 6;

describe("validator nodes as separate processes", function () {
  this.timeout(240_000);
  let devnet: Devnet;
  let r: Registries;
  let cluster: Cluster;
  let reps: ClusterNode[];
  let observers: ClusterNode[];
  const repKeys = Array.from({ length: 4 }, (_, i) => ethers.id(`repchain network test representative ${i}`));
  const repAddresses = repKeys.map((k) => new ethers.Wallet(k).address.toLowerCase());

  before(async function () {
    devnet = await startDevnet();
    r = await deployRegistries(4n);
    const dir = mkdtempSync(join(tmpdir(), "repchain-net-"));
    const deploymentFile = join(dir, "deployment.json");
    writeFileSync(deploymentFile, JSON.stringify(r.deployment));
    const genesisFile = join(dir, "genesis.json");
    const init = await runCli([
      "init",
      "--deployment",
      deploymentFile,
      "--out",
      genesisFile,
      "--representatives",
      repAddresses.join(","),
      "--epoch-length",
      String(EPOCH_LENGTH),
      "--target-block-time-ms",
      "500",
      "--pow-difficulty",
      "256",
    ]);
    expect(init.code, init.stderr).to.equal(0);
    cluster = new Cluster(dir, genesisFile, deploymentFile, devnet.url);
    reps = [];
    for (let i = 0; i < 4; i++) reps.push(await cluster.add({ key: repKeys[i], name: `rep${i}` }));
    observers = [
      await cluster.add({ key: null, name: "observer0" }),
      await cluster.add({ key: null, name: "observer1" }),
    ];
    for (const node of cluster.nodes) cluster.start(node);
  });

  after(async function () {
    await cluster?.stopAll();
    await devnet?.stop();
  });

  afterEach(function () {
    if (this.currentTest?.state === "failed") {
      for (const n of cluster.nodes)
        process.stderr.write(`--- ${n.spec.name}\n${n.log.split("\n").slice(-15).join("\n")}\n`);
    }
  });

  it("4 representatives finalize blocks and the non-representatives verify and store them", async function () {
    await waitFor("height 3 on every node", 90_000, async () => {
      const heights = await Promise.all(cluster.nodes.map((n) => cluster.height(n)));
      return heights.every((h) => h >= 3);
    });
    const fromRep = await rpcCall<{ hash: string; signers: string[] }>(reps[0].rpcUrl, "repchain_getBlock", [2]);
    const fromObserver = await rpcCall<{ hash: string }>(observers[1].rpcUrl, "repchain_getBlock", [2]);
    expect(fromObserver.hash).to.equal(fromRep.hash);
    expect(fromRep.signers.length).to.be.at.least(3);
    const status = await rpcCall<{ role: string; peers: string[] }>(reps[1].rpcUrl, "repchain_status");
    expect(status.role).to.equal("representative");
    expect(status.peers.length).to.equal(5);
    const observerStatus = await rpcCall<{ role: string }>(observers[0].rpcUrl, "repchain_status");
    expect(observerStatus.role).to.equal("ordinary");
  });
});
