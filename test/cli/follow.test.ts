import { expect } from "chai";
import hre from "hardhat";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stateDigest } from "../../node/registry";
import { L1Store } from "../../node/store/l1Store";
import type { RegistryEvent } from "../../node/registry/events";
import { databasePath } from "../../node/cli/followerContext";
import { Prng } from "../../node/sim/prng";
import { finished, runCli, spawnCli, waitForLog } from "../../node/testing/cli";
import { startDevnet, type Devnet } from "../../node/testing/hardhatServer";
import { openFollower, tempDir } from "../helpers/follower";
import { writeFollowerGenesis } from "../../node/testing/genesis";
import {
  candidateAddresses,
  deployRegistries,
  givePower,
  registerCandidates,
  voteStorm,
  type Registries,
} from "../../node/testing/registries";

/** Kill rounds in the default run; raise with REPCHAIN_KILL_ROUNDS for a campaign. */
const KILL_ROUNDS = Number(process.env.REPCHAIN_KILL_ROUNDS ?? 4);
const SEED = Number(process.env.REPCHAIN_TEST_SEED ?? 20_201_125);

describe("repchain follow (child process)", function () {
  this.timeout(300_000);
  let devnet: Devnet;
  let r: Registries;
  let dir: string;
  let configFile: string;
  let reference: RegistryEvent[];
  let referenceDigest: string;

  before(async function () {
    devnet = await startDevnet();
    r = await deployRegistries(5n);
    const candidates = candidateAddresses(40, "kill");
    await registerCandidates(r, candidates);
    const voters = (await hre.ethers.getSigners()).slice(1, 9);
    await givePower(r, voters, 1n);
    await voteStorm(r, voters, candidates, 6); // 8 × (40 + 6 × 80) = 4,160 vote events in 56 blocks
    dir = tempDir("repchain-cli-");
    const deploymentFile = join(dir, "deployment.json");
    writeFileSync(deploymentFile, JSON.stringify(r.deployment));
    writeFollowerGenesis(join(dir, "genesis.json"), r.deployment, 2);
    configFile = join(dir, "node.json");
    writeFileSync(
      configFile,
      JSON.stringify({
        rpcUrl: devnet.url,
        deployment: "deployment.json",
        genesis: "genesis.json",
        dataDir: "node",
        maxBlockRange: 1,
      }),
    );
    const uninterrupted = await openFollower(devnet.url, r.deployment, { confirmations: 2 });
    await uninterrupted.sync();
    reference = await uninterrupted.store.events.inBlockRange(-1, Number.MAX_SAFE_INTEGER);
    referenceDigest = stateDigest(uninterrupted.follower.confirmed.state);
    await uninterrupted.close();
  });

  after(async function () {
    await devnet.stop();
  });

  it(`survives kill -9 at ${KILL_ROUNDS} random instants of ingestion (seed ${SEED})`, async function () {
    const prng = new Prng(SEED);
    let lastCursor = -1;
    const cursors: number[] = [];
    for (let round = 0; round < KILL_ROUNDS; round++) {
      const child = spawnCli(["follow", "--config", configFile, "--log-level", "debug"]);
      const exited = finished(child);
      await waitForLog(child, (l) => l.msg === "range committed" || l.msg === "progress");
      await new Promise((resolve) => setTimeout(resolve, Math.floor(prng.float() * 400)));
      child.kill("SIGKILL");
      const run = await exited;
      expect(run.signal, `seed ${SEED} round ${round}: ${run.stderr.slice(-500)}`).to.equal("SIGKILL");

      const store = await L1Store.open(databasePath(join(dir, "node")));
      try {
        await store.checkConsistency();
        const cursor = (await store.cursor.get())!;
        expect(cursor.number, `seed ${SEED} round ${round}`).to.be.at.least(lastCursor);
        lastCursor = cursor.number;
        cursors.push(cursor.number);
        const stored = await store.events.inBlockRange(-1, Number.MAX_SAFE_INTEGER);
        expect(stored, `seed ${SEED} round ${round}: stored events are a prefix`).to.deep.equal(
          reference.filter((e) => e.blockNumber <= cursor.number),
        );
      } finally {
        await store.close();
      }
    }
    // The kills must land in the middle of ingestion, not after it.
    const last = reference[reference.length - 1].blockNumber;
    expect(
      cursors.filter((c) => c < last),
      `seed ${SEED}: cursors ${cursors}`,
    ).to.have.length.greaterThan(0);
    // A last run to the head: the same events and state as the uninterrupted follower.
    const resumed = await openFollower(devnet.url, r.deployment, { confirmations: 2, dir: join(dir, "node") });
    try {
      await resumed.sync();
      expect(await resumed.store.events.inBlockRange(-1, Number.MAX_SAFE_INTEGER)).to.deep.equal(reference);
      expect(stateDigest(resumed.follower.confirmed.state)).to.equal(referenceDigest);
    } finally {
      await resumed.close();
    }
  });

  it("stops cleanly on SIGTERM", async function () {
    const child = spawnCli(["follow", "--config", configFile]);
    const exited = finished(child);
    await waitForLog(child, (l) => l.msg === "following L1");
    child.kill("SIGTERM");
    const run = await exited;
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stderr).to.contain('"msg":"stopped"');
  });

  it("elect --json prints the election at the confirmed head", async function () {
    const run = await runCli(["elect", "--config", configFile, "--json", "--log-level", "warn"]);
    expect(run.code, run.stderr).to.equal(0);
    const report = JSON.parse(run.stdout) as {
      block: { number: number; timestamp: number };
      result: { k: string; representatives: { address: string; signingKey: string; votes: string }[] };
      candidates: unknown[];
    };
    const head = await hre.ethers.provider.getBlock((await hre.ethers.provider.getBlockNumber()) - 2);
    expect(report.block.number).to.equal(head!.number);
    expect(report.block.timestamp).to.equal(head!.timestamp);
    expect(report.result.k).to.equal("5");
    expect(report.candidates).to.have.length(40);
    // Every voter (one token unit each) approves every candidate: all tie at 8 units, so the lowest addresses win.
    const lowest = candidateAddresses(40, "kill")
      .map((a) => a.toLowerCase())
      .sort()
      .slice(0, 5);
    expect(report.result.representatives).to.deep.equal(
      lowest.map((address) => ({ address, signingKey: address, votes: "8" })),
    );
  });

  it("elect --at an earlier block with --k uses that block's state and timestamp", async function () {
    const at = r.deployment.deploymentBlock + 3; // after the registrations, before most votes
    const run = await runCli(["elect", "--config", configFile, "--json", "--no-sync", "--at", String(at), "--k", "2"]);
    expect(run.code, run.stderr).to.equal(0);
    const report = JSON.parse(run.stdout) as { block: { number: number; timestamp: number }; result: { k: string } };
    expect(report.block.number).to.equal(at);
    expect(report.block.timestamp).to.equal((await hre.ethers.provider.getBlock(at))!.timestamp);
    expect(report.result.k).to.equal("2");
  });

  it("exits 2 naming the field on a malformed config, and on a block not yet confirmed", async function () {
    const bad = join(dir, "bad.json");
    const base = { rpcUrl: devnet.url, deployment: "deployment.json", genesis: "genesis.json", dataDir: "x" };
    writeFileSync(bad, JSON.stringify({ ...base, maxBlockRange: "many" }));
    const run = await runCli(["follow", "--config", bad]);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain("maxBlockRange");
    const future = await runCli(["elect", "--config", configFile, "--no-sync", "--at", "99999999"]);
    expect(future.code).to.equal(2);
    expect(future.stderr).to.contain("not confirmed");
  });

  it("refuses the old `confirmations` setting (file, environment, flag) naming its move to the genesis", async function () {
    const old = join(dir, "old.json");
    writeFileSync(
      old,
      JSON.stringify({
        rpcUrl: devnet.url,
        deployment: "deployment.json",
        genesis: "genesis.json",
        dataDir: "x",
        confirmations: 2,
      }),
    );
    const cases: { args: string[]; env?: NodeJS.ProcessEnv; field: string }[] = [
      { args: ["follow", "--config", old], field: "confirmations" },
      { args: ["elect", "--config", configFile, "--confirmations", "2"], field: "confirmations" },
      {
        args: ["follow", "--config", configFile],
        env: { REPCHAIN_CONFIRMATIONS: "2" },
        field: "REPCHAIN_CONFIRMATIONS",
      },
    ];
    for (const { args, env, field } of cases) {
      const refused = await runCli(args, env);
      expect(refused.code, refused.stderr).to.equal(2);
      expect(refused.stderr).to.contain(`${field}: moved to the genesis`);
      expect(refused.stderr).to.contain("repchain init --l1-confirmations");
    }
  });

  it("counts confirmations as the genesis says: elect's confirmed head is l1Confirmations below the L1 head", async function () {
    const deeper = join(dir, "deeper.json");
    writeFollowerGenesis(join(dir, "genesis5.json"), r.deployment, 5);
    writeFileSync(
      deeper,
      JSON.stringify({
        rpcUrl: devnet.url,
        deployment: "deployment.json",
        genesis: "genesis5.json",
        dataDir: "deeper",
        maxBlockRange: 1,
      }),
    );
    const run = await runCli(["elect", "--config", deeper, "--json", "--log-level", "warn"]);
    expect(run.code, run.stderr).to.equal(0);
    const head = await hre.ethers.provider.getBlockNumber();
    expect((JSON.parse(run.stdout) as { block: { number: number } }).block.number).to.equal(head - 5);
  });
});
