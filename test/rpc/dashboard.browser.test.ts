import { expect } from "chai";
import pino from "pino";
import { dashboardPages } from "../../node/rpc/dashboardPages";
import { nodeRpcMethods } from "../../node/rpc/nodeRpcMethods";
import type { ElectionRecord, EvidenceReport, NodeView, RepresentativeStanding } from "../../node/rpc/nodeView";
import { startRpcServer, type RunningRpcServer } from "../../node/rpc/rpcServer";
import type { Browser } from "playwright-core";
import { join } from "node:path";
import { launchBrowser } from "../helpers/browser";
import type { Address } from "../../node/types/primitives";

const addr = (n: number): Address => `0x${n.toString(16).padStart(40, "0")}`;
/** One whole token of the scripted node's voting token (18 decimals, as VotingToken has). */
const TOKEN = 10n ** 18n;

/** A node whose state the test moves by hand: the page under test only sees it through JSON-RPC. */
class ScriptedNode implements NodeView {
  epoch = 1;
  reps: RepresentativeStanding[] = [1, 2, 3, 4].map((n) => ({ address: addr(n), votes: BigInt(10 - n) * TOKEN }));
  /** The token metadata the node reports; undefined: not read (yet), votes shown in raw units. */
  votingToken: { address: string; symbol: string; decimals: number } | undefined = {
    address: addr(99),
    symbol: "RPV",
    decimals: 18,
  };
  history: ElectionRecord[] = [];

  status() {
    return {
      nodeId: "node-a",
      role: "representative" as const,
      chainId: "77",
      height: this.epoch * 10,
      round: 0,
      step: "propose" as const,
      epoch: this.epoch,
      epochLength: 10,
      blocksUntilElection: 9,
      headHash: `0x${"00".repeat(32)}`,
      l1: { confirmedBlock: 5, headBlock: 6, lagBlocks: 1 },
      peers: ["node-b"],
      mempoolSize: 0,
      ...(this.votingToken === undefined ? {} : { votingToken: this.votingToken }),
    };
  }
  block() {
    return undefined;
  }
  evidenceReport: EvidenceReport = { pending: 0, jailed: [], committed: [] };
  evidence() {
    return this.evidenceReport;
  }
  liveness() {
    return { epoch: 0, commitsCounted: 0, minSignedPermille: 50, representatives: [], active: [], jailed: [] };
  }
  /** Blocks 1..10 of this epoch: a block every 500 ms, each finalized 120 ms after its proposal. */
  recentBlocks(count: number) {
    const base = this.epoch * 10;
    return Array.from({ length: 10 }, (_, i) => ({
      height: base + i,
      hash: "0x",
      epoch: this.epoch,
      round: 0,
      proposer: addr(1),
      timestampMs: 1_000_000 + i * 500,
      eventCount: 0,
      transactionCount: 0,
      signers: [addr(1), addr(2), addr(3)],
      finalizedAtMs: 1_000_000 + i * 500 + 120,
    }))
      .reverse()
      .slice(0, count);
  }
  transaction() {
    return undefined;
  }
  async sendTransaction(): Promise<{ hash: string }> {
    throw new Error("not accepting");
  }
  nextNonce(): bigint {
    return 0n;
  }
  representatives() {
    return this.reps;
  }
  candidates() {
    return this.reps.map((r) => ({ ...r, status: "active" as const, credentialExpiryMs: 0n, representative: true }));
  }
  elections(count: number) {
    return this.history.slice(0, count);
  }

  switchEpoch(reps: RepresentativeStanding[], excluded: ElectionRecord["excluded"] = []): void {
    const before = new Set(this.reps.map((r) => r.address));
    const after = new Set(reps.map((r) => r.address));
    this.epoch++;
    this.history.unshift({
      epoch: this.epoch,
      height: this.epoch * 10 - 1,
      representatives: reps,
      excluded,
      added: [...after].filter((a) => !before.has(a)),
      removed: [...before].filter((a) => !after.has(a)),
    });
    this.reps = reps;
  }
}

describe("dashboard in a real browser (Debian chromium)", function () {
  this.timeout(60_000);
  let server: RunningRpcServer;
  let browser: Browser;
  const node = new ScriptedNode();

  before(async () => {
    server = await startRpcServer({
      host: "127.0.0.1",
      port: 0,
      log: pino({ level: "silent" }),
      methods: nodeRpcMethods(node),
      pages: dashboardPages(),
    });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows the representatives the RPC reports and follows an epoch switch", async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (err) => pageErrors.push(err.message));
    await page.goto(server.url);
    const shownReps = () =>
      page.$$eval("#representatives tbody tr", (rows) => rows.map((r) => (r as HTMLElement).dataset.key));
    await page.waitForFunction(() => document.querySelectorAll("#representatives tbody tr").length === 4);
    expect(await shownReps()).to.deep.equal([1, 2, 3, 4].map(addr));
    expect(await page.textContent("#epoch")).to.equal("1");
    expect(await page.textContent("#role")).to.equal("representative");

    // Candidate 4 was jailed for downtime, candidates 6 to 9 signed nothing in the epoch.
    const excluded = [4, 6, 7, 8, 9].map((n) => ({
      candidate: addr(n),
      signingKey: addr(n),
      reason: n === 4 ? ("downtime" as const) : ("inactive" as const),
    }));
    node.switchEpoch(
      [5, 1, 2, 3].map((n) => ({ address: addr(n), votes: BigInt(20 - n) * TOKEN })),
      excluded,
    );
    await page.waitForFunction(() => document.getElementById("epoch")?.textContent === "2", undefined, {
      timeout: 5_000,
    });
    expect(await shownReps()).to.deep.equal([5, 1, 2, 3].map(addr));
    const change = await page.textContent("#elections tbody tr td:nth-child(3)");
    expect(change).to.equal(
      "+0x000000…0005 −0x000000…0004 · left out: 0x000000…0004 (downtime), 0x000000…0006 (inactive), " +
        "0x000000…0007 (inactive) and 2 more",
    );
    expect(await page.$$eval("#chart polyline", (lines) => lines.length)).to.equal(4);
    expect(pageErrors).to.deep.equal([]);
  });

  it("labels the votes chart: a legend entry per candidate on it, axis titles, hover shows candidate and votes", async () => {
    node.switchEpoch([6, 5, 1, 2].map((n) => ({ address: addr(n), votes: BigInt(30 - n) * TOKEN })));
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => document.querySelectorAll("#chart-legend li").length > 0);
    const onChart = await page.$$eval("#chart polyline", (lines) => lines.map((l) => l.getAttribute("data-series")));
    const inLegend = await page.$$eval("#chart-legend li", (items) =>
      items.map((i) => (i as HTMLElement).dataset.series),
    );
    const elected = [...new Set(node.history.flatMap((e) => e.representatives.map((r) => r.address)))];
    expect(onChart).to.have.members(elected);
    expect(inLegend).to.have.members(elected);
    const legendText = await page.textContent("#chart-legend");
    for (const address of elected) expect(legendText).to.contain(address.slice(0, 8));
    expect(await page.$$eval("#chart .axis-label", (t) => t.map((e) => e.textContent))).to.deep.equal([
      "epoch",
      "votes (RPV)",
    ]);
    const tips = await page.$$eval("#chart circle title", (t) => t.map((e) => e.textContent));
    expect(tips).to.include(`${addr(6)}: votes 24 RPV in epoch ${node.epoch}`);

    // The picture a person sees: the chart with its legend (REPCHAIN_SCREENSHOT_DIR keeps it for a look).
    const dir = process.env.REPCHAIN_SCREENSHOT_DIR;
    const png = await page
      .locator("#chart")
      .locator("xpath=..")
      .screenshot(dir ? { path: join(dir, "votes-chart.png") } : {});
    expect(png.subarray(1, 4).toString()).to.equal("PNG");
    await page.close();
  });

  it("shows votes in whole tokens with the token's symbol, and the exact token units on hover", async () => {
    const amounts: [bigint, string, string][] = [
      [1_234_500_000_000_000_000_000n, "1,234.5 RPV", "1,234.5 RPV = 1234500000000000000000 token units"],
      [1_000_000n * TOKEN, "1,000,000 RPV", "1,000,000 RPV = 1000000000000000000000000 token units"],
      [2n * TOKEN + 123_456_789n * 10n ** 9n, "≈ 2.1234 RPV", "2.123456789 RPV = 2123456789000000000 token units"],
      [7n, "≈ 0 RPV", "0.000000000000000007 RPV = 7 token units"],
    ];
    node.switchEpoch(amounts.map(([votes], i) => ({ address: addr(40 + i), votes })));
    const page = await browser.newPage();
    await page.goto(server.url);
    const cells = () =>
      page.$$eval("#representatives tbody td:nth-child(2)", (tds) =>
        tds.map((td) => [td.textContent, (td as HTMLElement).title]),
      );
    await page.waitForFunction(
      () => document.querySelector("#representatives tbody td:nth-child(2)")?.textContent === "1,234.5 RPV",
    );
    expect(await cells()).to.deep.equal(amounts.map(([, text, title]) => [text, title]));
    const candidateVotes = await page.$$eval("#candidates tbody td:nth-child(2)", (tds) =>
      tds.map((td) => td.textContent),
    );
    expect(candidateVotes).to.deep.equal(amounts.map(([, text]) => text));

    // A token without symbol and decimals (ERC-5805 does not require them): raw units, said so on hover.
    node.votingToken = undefined;
    await page.waitForFunction(
      () => document.querySelector("#representatives tbody td:nth-child(2)")?.textContent === "1234500000000000000000",
    );
    expect((await cells())[0]).to.deep.equal(["1234500000000000000000", "1234500000000000000000 token units"]);
    node.votingToken = { address: addr(99), symbol: "RPV", decimals: 18 };
    await page.close();
  });

  it("plots blocks per second and finality latency of the blocks the node finalized", async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => document.querySelectorAll("#performance polyline").length === 2);
    const legend = await page.$$eval("#performance-legend li", (items) => items.map((i) => i.textContent));
    expect(legend).to.deep.equal(["blocks/s", "finality latency (s)"]);
    const tips = await page.$$eval("#performance circle title", (t) => t.map((e) => e.textContent ?? ""));
    // Ten blocks 500 ms apart: 2 blocks/s; each finalized 120 ms after its proposal.
    expect(tips.filter((t) => t.endsWith("2.00 blocks/s"))).to.have.length(9);
    expect(tips.filter((t) => t.includes("finalized 0.120 s after"))).to.have.length(10);
    await page.close();
  });

  it("shows equivocation evidence (offender, height, block) and the jailed candidate once the node reports them", async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => document.getElementById("jailed")?.textContent === "none");
    expect(await page.$$eval("#evidence tbody tr", (rows) => rows.length)).to.equal(0);
    node.evidenceReport = {
      pending: 0,
      jailed: [{ candidate: addr(4), registration: 1 }],
      committed: [
        {
          hash: `0x${"ab".repeat(32)}`,
          kind: "precommit",
          signer: addr(4),
          height: 41,
          round: 0,
          committedAt: 43,
          l1: null,
        },
      ],
    };
    await page.waitForFunction(() => document.querySelectorAll("#evidence tbody tr").length === 1);
    const cells = await page.$$eval("#evidence tbody tr td", (tds) => tds.map((td) => td.textContent));
    expect(cells).to.deep.equal(["0x000000…0004", "precommits", "41", "0", "43"]);
    expect(await page.getAttribute("#evidence tbody tr", "data-key")).to.equal(addr(4));
    expect(await page.textContent("#jailed")).to.equal("0x000000…0004");
    await page.close();
  });
});
