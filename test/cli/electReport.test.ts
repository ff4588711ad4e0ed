import { expect } from "chai";
import { CandidateStatus } from "../../node/registry";
import { formatReport, toJson, type ElectionReport } from "../../node/cli/elect";

describe("elect report", function () {
  const a = `0x${"0a".repeat(20)}` as const;
  const b = `0x${"0b".repeat(20)}` as const;
  const c = `0x${"0c".repeat(20)}` as const;
  const report: ElectionReport = {
    block: { number: 42, hash: `0x${"ff".repeat(32)}`, parentHash: `0x${"ee".repeat(32)}`, timestamp: 1_764_000_000 },
    result: {
      k: 3n,
      snapshotTime: 1_764_000_000n,
      representatives: [
        { address: b, votes: 5n },
        { address: a, votes: 2n },
      ],
      eligibleCount: 2,
      shortfall: 1n,
    },
    candidates: [
      { address: b, status: CandidateStatus.Active, credentialExpiry: 1_800_000_000n, votes: 5n, eligible: true },
      { address: c, status: CandidateStatus.Removed, credentialExpiry: 1_800_000_000n, votes: 4n, eligible: false },
      { address: a, status: CandidateStatus.Active, credentialExpiry: 1_800_000_000n, votes: 2n, eligible: true },
    ],
  };

  it("lists every candidate, then the representatives in order, and the empty seats", function () {
    const lines = formatReport(report).split("\n");
    expect(lines[0]).to.equal(`L1 block 42 0x${"ff".repeat(32)} (2025-11-24T16:00:00.000Z)`);
    expect(lines[1]).to.equal("K = 3, eligible 2, elected 2, 1 seat(s) empty");
    expect(lines).to.include(`  ${c}       4 votes  removed (not eligible)`);
    const reps = lines.slice(lines.indexOf("representatives:") + 1, -1);
    expect(reps).to.deep.equal([`    1. ${b}  5 votes`, `    2. ${a}  2 votes`]);
  });

  it("prints JSON with bigints as decimal strings", function () {
    const json = JSON.parse(toJson(report)) as { result: { k: string; representatives: { votes: string }[] } };
    expect(json.result.k).to.equal("3");
    expect(json.result.representatives.map((r) => r.votes)).to.deep.equal(["5", "2"]);
  });
});
