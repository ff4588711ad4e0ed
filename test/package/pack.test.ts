import { expect } from "chai";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Wallet } from "ethers";
import { freePort, rpcCall } from "../../node/testing/processCluster";
import { startDevnet, type Devnet } from "../../node/testing/hardhatServer";
import { deployRegistries } from "../../node/testing/registries";

const ROOT = join(__dirname, "../..");

/** npm, quietly, from the npm cache where it can (the registry is reachable but slow to ask). */
function npm(args: string[], cwd: string): string {
  return execFileSync("npm", [...args, "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Resolves once GET /health answers 200; rejects if the process exits first. */
async function healthy(url: string, child: ChildProcess, log: () => string): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`repchain run exited (${child.exitCode}):\n${log()}`);
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * What a node operator does: `npm install --omit=dev ./repchain-x.y.z.tgz` into an empty folder
 * (no Hardhat, TypeScript or ts-node), then `repchain init` and `repchain run` against an L1.
 * Packs the current build (dist/, made by `npm ci`): --ignore-scripts skips the rebuild.
 */
describe("the npm package, installed with runtime dependencies only", function () {
  this.timeout(300_000);
  let dir = "";
  let l1: Devnet | undefined;
  let node: ChildProcess | undefined;

  before(() => (dir = mkdtempSync(join(tmpdir(), "repchain-pack-test-"))));
  after(async () => {
    if (node && node.exitCode === null) {
      node.kill("SIGKILL");
      await new Promise((resolve) => node!.once("exit", resolve));
    }
    await l1?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("ships only the build and the contracts, and its `repchain run` follows L1 and serves /health", async () => {
    const tarball = npm(["pack", "--ignore-scripts", "--pack-destination", dir], ROOT).trim().split("\n").pop()!;
    const app = join(dir, "app");
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "operator", private: true }));
    npm(["install", "--omit=dev", join(dir, tarball)], app);
    const installed = join(app, "node_modules");
    for (const devOnly of ["hardhat", "typescript", "ts-node", "typechain", "@typechain"]) {
      expect(existsSync(join(installed, devOnly)), `${devOnly} installed`).to.equal(false);
    }
    const shipped = readdirSync(join(installed, "repchain"));
    expect(shipped).to.include.members(["dist", "contracts", "package.json"]);
    expect(shipped).not.to.include.members(["node", "scripts", "test", "typechain-types"]);
    const repchain = join(installed, ".bin", "repchain");

    l1 = await startDevnet();
    const { deployment } = await deployRegistries();
    writeFileSync(join(dir, "deployment.json"), JSON.stringify(deployment));
    const key = Wallet.createRandom();
    const others = [1, 2, 3].map(() => Wallet.createRandom().address);
    const representatives = [key.address, ...others].map((a) => a.toLowerCase()).join(",");
    execFileSync(
      repchain,
      ["init", "--deployment", "deployment.json", "--representatives", representatives, "--l1-confirmations", "0"],
      {
        cwd: dir,
      },
    );
    const rpcPort = await freePort();
    const config = {
      rpcUrl: l1.url,
      deployment: "deployment.json",
      genesis: "genesis.json",
      dataDir: "data",
      p2pPort: await freePort(),
      rpcPort,
    };
    writeFileSync(join(dir, "node.json"), JSON.stringify(config));
    let stderr = "";
    node = spawn(repchain, ["run", "--config", "node.json"], {
      cwd: dir,
      env: { ...process.env, REPCHAIN_NODE_KEY: key.privateKey },
      stdio: ["pipe", "pipe", "pipe"],
    });
    node.stderr!.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    const url = `http://127.0.0.1:${rpcPort}`;
    await healthy(url, node, () => stderr);

    // It reads the registries through ethers and the typechain factories of the build.
    for (;;) {
      const status = await rpcCall<{ l1: { confirmedBlock: number } }>(url, "repchain_status");
      if (status.l1.confirmedBlock >= deployment.deploymentBlock) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // The dashboard's script is served from the build: TypeScript is not installed.
    const script = await fetch(`${url}/dashboard.js`);
    expect(script.status).to.equal(200);
    expect(await script.text()).to.contain("POLL_MS");

    node.kill("SIGTERM");
    const code = await new Promise((resolve) => node!.once("exit", resolve));
    expect(code, stderr).to.equal(0);
  });
});
