import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { DevnetHandout } from "../../scripts/devnet/handout";
import { DevnetRun, processesMentioning } from "../helpers/devnetRun";

const ROOT = join(__dirname, "../..");

/**
 * Runs one example as a user would (ts-node, the devnet's file in DEVNET_FILE); resolves with its
 * stdout, or fails with everything it printed.
 */
async function example(name: string, devnetFile: string, args: string[] = []): Promise<string> {
  const script = join(ROOT, "scripts/examples", `${name}.ts`);
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", script, ...args],
      { cwd: ROOT, env: { ...process.env, DEVNET_FILE: devnetFile }, timeout: 120_000 },
    );
    return stdout;
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string };
    throw new Error(`${name} failed: ${(err as Error).message}\nstdout:\n${stdout ?? ""}\nstderr:\n${stderr ?? ""}`, {
      cause: err,
    });
  }
}

describe("scripts/examples against `npm run devnet -- --no-story`", function () {
  this.timeout(400_000);
  let dir = "";
  let devnet: DevnetRun | undefined;
  let devnetFile = "";
  let handout: DevnetHandout;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "repchain-examples-test-"));
    // Five nodes: the four genesis representatives and n4, which the first example registers.
    const args = ["--no-story", "--quiet", "--nodes", "5", "--epoch-length", "4", "--block-time-ms", "500"];
    devnet = new DevnetRun([...args, "--duration", "380", "--data-dir", join(dir, "run")]);
    [, devnetFile] = await devnet.line(/keys and URLs: (\S+devnet\.json)\)/, 240_000);
    await devnet.line(/first finalized block after/, 120_000);
    handout = JSON.parse(readFileSync(devnetFile, "utf8")) as DevnetHandout;
  });

  after(async () => {
    if (devnet && devnet.child.exitCode === null) {
      devnet.child.kill("SIGINT");
      await devnet.exited;
    }
    for (const pid of processesMentioning(join(dir, "run"))) process.kill(pid, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("applyAndRegister: n4 applies through the auditors and registers with the deposit", async () => {
    const out = await example("applyAndRegister", devnetFile, ["n4"]);
    const n4 = handout.nodes[4].address;
    expect(out).to.match(new RegExp(`n4 ${n4}: registered by 0x[0-9a-f]{64}, deposit 1000000000000000000 wei`, "i"));
  });

  it("voteAndRevoke: a voter approves n0 and n1, then revokes n1", async () => {
    const out = await example("voteAndRevoke", devnetFile);
    const [n0, n1] = handout.nodes.map((n) => n.address);
    const lines = out.trim().split("\n");
    expect(lines[0].toLowerCase()).to.contain(`approves ${n0},${n1}`);
    expect(lines[1].toLowerCase()).to.contain(`approves ${n0} (revoked ${n1})`);
  });

  it("voteBySig: the voter signs, another account relays and pays", async () => {
    const out = await example("voteBySig", devnetFile);
    const voter = handout.voters[5].address;
    const relayer = handout.voters[6].address;
    expect(out.toLowerCase()).to.contain(`relayed by ${relayer}`);
    expect(out.toLowerCase()).to.contain(`${voter} approves ${handout.nodes[2].address}`);
  });

  it("representatives: the node's newest election equals the recount from L1", async () => {
    const out = await example("representatives", devnetFile);
    expect(out).to.contain("the node's election matches the recount");
  });
});
