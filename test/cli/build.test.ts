import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMMANDS } from "../../node/cli/main";
import { BUILT_REPCHAIN } from "../../scripts/bench/cliStart";

/** Runs the built `repchain` (dist/, made by `npm ci` through the `prepare` script). */
function built(args: string[], options: { preload?: string } = {}) {
  const node = options.preload ? ["--require", options.preload] : [];
  return spawnSync(process.execPath, [...node, BUILT_REPCHAIN, ...args], { encoding: "utf8" });
}

describe("the built repchain command (dist/, what `npm ci` and the package ship)", function () {
  let dir = "";
  before(() => (dir = mkdtempSync(join(tmpdir(), "repchain-build-test-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("lists every command with its summary", () => {
    const help = built(["--help"]);
    expect(help.status).to.equal(0);
    for (const { name } of COMMANDS) expect(help.stdout).to.match(new RegExp(`^  ${name} `, "m"));
  });

  // The start-up time itself (aim ≤ 300 ms) is a figure of `npm run bench:cli`, not a timed test: what
  // keeps it small is that --help loads nothing but commander, which this test holds.
  it("answers --help without loading ethers, fastify, LevelDB, libp2p or TypeScript", () => {
    // A preload that prints, at exit, every package the process loaded from node_modules.
    const preload = join(dir, "loaded.js");
    writeFileSync(
      preload,
      `process.on("exit", () => process.stderr.write(JSON.stringify(Object.keys(require.cache).filter((f) => f.includes("node_modules")))));`,
    );
    const help = built(["--help"], { preload });
    const packages = new Set(
      (JSON.parse(help.stderr) as string[]).map((f) => f.split("node_modules/").pop()!.split("/")[0]),
    );
    expect([...packages]).to.deep.equal(["commander"]);
  });

  it("is executable as the package's bin, as `npx repchain` in a clone runs it", () => {
    const direct = spawnSync(BUILT_REPCHAIN, ["--help"], { encoding: "utf8" });
    expect(direct.error, "spawned the file itself (shebang + mode)").to.equal(undefined);
    expect(direct.status, direct.stderr).to.equal(0);
    expect(direct.stdout).to.match(/^Usage: repchain/m);
  });

  it("runs a command in full: init writes the genesis", () => {
    const deployment = join(dir, "deployment.json");
    const address = (n: number) => `0x${String(n).repeat(40)}`;
    writeFileSync(
      deployment,
      JSON.stringify({
        network: "test",
        chainId: 31337,
        auditorRegistry: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
        candidateRegistry: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
        voteRegistry: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
        deploymentBlock: 1,
        deploymentBlockHash: `0x${"ab".repeat(32)}`,
        votingToken: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
        votingTokenDeploymentBlock: 1,
        l2ChainId: 4242,
      }),
    );
    const out = join(dir, "genesis.json");
    const representatives = [1, 2, 3, 4].map(address).join(",");
    const init = built(["init", "--deployment", deployment, "--representatives", representatives, "--out", out]);
    expect(init.status, init.stderr).to.equal(0);
    const genesis = JSON.parse(readFileSync(out, "utf8")) as {
      representatives: string[];
      l1: { voteRegistry: string };
    };
    expect(genesis.representatives).to.deep.equal([1, 2, 3, 4].map(address));
    expect(genesis.l1.voteRegistry).to.equal("0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0");
  });

  it("exits 2 naming the flag when a command's input is bad", () => {
    const init = built(["init", "--deployment", join(dir, "missing.json"), "--representatives", "0x1"]);
    expect(init.status).to.equal(2);
    expect(init.stderr).to.match(/deployment file .*missing\.json: cannot read/);
  });
});

describe("the repchain program's command table", () => {
  for (const { name, summary, load } of COMMANDS) {
    it(`${name}: the summary --help shows is the command's own description`, () => {
      const command = load();
      expect(command.name()).to.equal(name);
      expect(command.description()).to.equal(summary);
    });
  }
});
