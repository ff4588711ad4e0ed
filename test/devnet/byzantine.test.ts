import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DevnetRun, processesMentioning } from "../helpers/devnetRun";

describe("npm run devnet -- --byzantine n3: one representative equivocates on purpose", function () {
  this.timeout(480_000);
  let dir = "";
  let runDir = "";
  let devnet: DevnetRun;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "repchain-devnet-byzantine-"));
    runDir = join(dir, "run");
    devnet = new DevnetRun(
      ["--byzantine", "n3", "--quiet", "--epoch-length", "6", "--block-time-ms", "500"].concat([
        "--duration",
        "400",
        "--data-dir",
        runDir,
      ]),
    );
  });

  after(async () => {
    if (devnet && devnet.child.exitCode === null) {
      devnet.child.kill("SIGKILL");
      await devnet.exited;
    }
    if (runDir === "") return;
    for (const pid of processesMentioning(runDir)) process.kill(pid, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows n3's evidence, its slash on L1 and its removal from the set, and says so in the summary", async () => {
    const evidence = await devnet.line(/evidence: n3 \((0x[0-9a-f]{40})\) signed two \w+s at height (\d+)/, 300_000);
    const slashed = await devnet.line(/L1: CandidateRegistry slashed n3: CandidateSlashed\(amount (\d+) wei/, 300_000);
    expect(BigInt(slashed[1])).to.be.above(0n);
    const removed = await devnet.line(/set change: n3 removed from the representatives from epoch (\d+)/, 300_000);
    // The next representatives line shows n4 in n3's seat.
    const epoch = Number(removed[1]);
    const set = await devnet.line(new RegExp(`epoch ${epoch}: representatives (.*)`), 120_000);
    expect(set[1]).to.include("n4").and.not.include("n3");
    expect(evidence[1]).to.match(/^0x/);

    devnet.child.kill("SIGINT");
    const { code } = await devnet.exited;
    const summary = JSON.parse(devnet.stdout.match(/devnet summary (\{.*\})/)![1]) as Record<string, unknown>;
    expect(summary.byzantine).to.deep.equal({ node: "n3", evidence: true, slashed: true, removed: true });
    // n3's own error line (the switch announces itself) is shown as expected and not counted.
    expect(devnet.stdout).to.match(/n3 \(byzantine, expected\): .*TEST ONLY/);
    expect(summary.errors).to.equal(0);
    expect(code).to.equal(0);
    expect(processesMentioning(runDir), "orphaned node processes").to.deep.equal([]);
  });
});
