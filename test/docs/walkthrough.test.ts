import { expect } from "chai";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shellBlocks } from "../helpers/markdown";

/**
 * The README's "nodes on several machines" section, run as written: its ```sh blocks, in order, as
 * one bash script (L1, keys, deploy, three auditors, apply + register, init, five nodes, a new
 * candidate and a vote that changes the set, an L2 transaction, withdraw and refund, elect/follow on
 * a node's config). Only two things are supplied here: the working folder (a fresh temporary one for
 * the README's /tmp/repchain-rehearsal) and `npx repchain` running the sources under test instead of
 * a build. The README's fixed ports are kept: as root the script runs in its own network namespace,
 * so they cannot clash with anything else on the machine. A step that needs anything the README does
 * not say fails the script.
 */
const ROOT = join(__dirname, "..", "..");
const SECTION_START = "## Deploying to another chain, nodes on several machines";
const SECTION_END = "## Configuration reference";
const README_FOLDER = "/tmp/repchain-rehearsal";
const SCRIPT_TIMEOUT_MS = 420_000;

function readmeScript(work: string): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf(SECTION_START), readme.indexOf(SECTION_END));
  const blocks = shellBlocks(section);
  expect(blocks.length, "the section's shell blocks").to.be.greaterThan(8);
  expect(section, "the README's working folder").to.contain(README_FOLDER);
  const prelude = [
    "set -eo pipefail",
    `cd ${JSON.stringify(ROOT)}`,
    // `npx repchain` runs the sources under test (the README's form runs the build of `npm ci`).
    `npx() { if [ "$1" = repchain ]; then shift; node -r ts-node/register/transpile-only ${JSON.stringify(
      join(ROOT, "node/cli/repchain.ts"),
    )} "$@"; else command npx "$@"; fi; }`,
  ];
  const steps = blocks.map(
    (block, i) => `echo "=== block ${i} at $(date +%s) ==="\n${block}\necho "=== block ${i} done at $(date +%s) ==="`,
  );
  return [...prelude, ...steps].join("\n").split(README_FOLDER).join(work);
}

/** Own network namespace (loopback only) when we may make one: the README's ports are then ours. */
function isolatedCommand(script: string): [string, string[]] {
  const canIsolate =
    process.getuid?.() === 0 && spawnSync("unshare", ["-n", "true"]).status === 0 && existsSync("/usr/sbin/ip");
  if (!canIsolate) return ["bash", [script]];
  return ["unshare", ["-n", "bash", "-c", `ip link set lo up && exec bash ${JSON.stringify(script)}`]];
}

interface Run {
  code: number | null;
  output: string;
}

function runScript(script: string): Promise<Run> {
  const [command, args] = isolatedCommand(script);
  // Its own process group, so every background service of the script goes down with it.
  const child = spawn(command, args, { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const killGroup = () => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(() => {
    output += `\n(walkthrough: killed after ${SCRIPT_TIMEOUT_MS} ms)\n`;
    killGroup();
  }, SCRIPT_TIMEOUT_MS);
  return new Promise((resolve) =>
    child.on("close", (code) => {
      clearTimeout(timer);
      killGroup();
      resolve({ code, output });
    }),
  );
}

describe("README walkthrough: nodes on several machines, rehearsed on 127.0.0.1", function () {
  this.timeout(SCRIPT_TIMEOUT_MS + 60_000);
  const work = mkdtempSync(join(tmpdir(), "repchain-walkthrough-"));
  let run: Run;
  const address = (who: string) =>
    (JSON.parse(readFileSync(join(work, `${who}.key.json`), "utf8")) as { address: string }).address.toLowerCase();

  before(async function () {
    const script = join(work, "..", `${work.split("/").pop()}.sh`);
    writeFileSync(script, readmeScript(work));
    run = await runScript(script);
    if (process.env.WALKTHROUGH_LOG) writeFileSync(process.env.WALKTHROUGH_LOG, `exit ${run.code}\n${run.output}`);
    rmSync(script, { force: true });
  });
  after(function () {
    rmSync(work, { recursive: true, force: true });
  });

  it("runs every block of the section to the end", function () {
    const tail = run.output.split("\n").slice(-60).join("\n");
    expect(run.code, tail).to.equal(0);
    expect(run.output).to.match(/=== block \d+ done at \d+ ===\s*$/);
    expect(run.output).not.to.contain("Unknown account");
    expect(run.output).not.to.contain("unrecognized custom error");
  });

  it("changed the representatives by the vote, as the nodes and `elect` on a node's config report", function () {
    // The README prints repchain_getRepresentatives once the nodes run, and again after the vote.
    const standing = '\\{"address":"0x[0-9a-f]{40}","votes":"\\d+"\\}';
    const sets = new RegExp(`"result":(\\[${standing}(?:,${standing})*\\])\\}`, "g");
    const printed = [...run.output.matchAll(sets)].map((m) => JSON.parse(m[1]) as { address: string; votes: string }[]);
    const members = (set: { address: string }[]) => set.map((r) => r.address).sort();
    expect(printed).to.have.length(2);
    expect(members(printed[0])).to.deep.equal(["node1", "node2", "node3", "node4"].map(address).sort());
    expect(members(printed[1])).to.deep.equal(["node1", "node2", "node3", "node5"].map(address).sort());
    expect(printed[1].map((r) => r.votes)).to.deep.equal(["1", "1", "1", "1"]);
    const elected = run.output.slice(run.output.lastIndexOf("representatives:"));
    for (const who of ["node1", "node2", "node3", "node5"]) expect(elected).to.contain(address(who));
    expect(elected).not.to.contain(address("node4"));
  });

  it("refunded the withdrawn candidate's deposit, decoding the early refusals by name", function () {
    expect(run.output).to.match(/refunded 1\.0 to 0x/);
    // The first refund comes seconds after the withdrawal, inside the 20 s unbonding period.
    expect(run.output).to.match(/refund reverted: CandidateRegistryRefundNotDue\(0x[0-9a-fA-F]{40}, \d+\)/);
  });

  it("shows the refund in repchain_getCandidates, its times in Unix ms", function () {
    const match = /"result":(\[\{"address"[^\]]*?"representative"[^\]]*\])\}/.exec(run.output);
    expect(match, "repchain_getCandidates printed").to.not.equal(null);
    const candidates = JSON.parse(match![1]) as { address: string; status: string; credentialExpiryMs: string }[];
    expect(candidates.find((c) => c.address === address("node4"))?.status).to.equal("refunded");
    for (const c of candidates.filter((c) => c.status === "active")) {
      // Credentials run 30 days (the auditor's default) from their issue minutes ago.
      const expiresInDays = (Number(c.credentialExpiryMs) - Date.now()) / 86_400_000;
      expect(expiresInDays).to.be.within(29, 30.1);
    }
  });

  it("left no node warning about a duplicate P2P dial", function () {
    const logs = readdirSync(work).filter((f) => /^node\d\.log$/.test(f));
    expect(logs).to.have.length(5);
    for (const log of logs) expect(readFileSync(join(work, log), "utf8")).not.to.contain("already connected");
  });
});
