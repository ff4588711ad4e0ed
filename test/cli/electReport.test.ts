import { expect } from "chai";
import { CandidateStatus } from "../../node/registry";
import { formatReport, toJson, type ElectionReport } from "../../node/cli/elect";

describe("elect report", function () {
  const a = `0x${"0a".repeat(20)}` as const;
  const b = `0x${"0b".repeat(20)}` as const;
  const c = `0x${"0c".repeat(20)}` as const;
  const k = `0x${"6e".repeat(20)}` as const;
  const standing = (address: `0x${string}`, votes: bigint) => ({
    address,
    signingKey: address,
    status: CandidateStatus.Active,
    slashed: false,
    credentialExpiry: 1_800_000_000n,
    votes,
  });
  const report: ElectionReport = {
    block: { number: 42, hash: `0x${"ff".repeat(32)}`, parentHash: `0x${"ee".repeat(32)}`, timestamp: 1_764_000_000 },
    result: {
      k: 3n,
      snapshotTime: 1_764_000_000n,
      representatives: [
        { address: b, signingKey: b, votes: 5n * 10n ** 18n },
        { address: a, signingKey: k, votes: 2n },
      ],
      eligibleCount: 2,
      shortfall: 1n,
    },
    candidates: [
      { ...standing(b, 5n * 10n ** 18n), eligible: true },
      { ...standing(c, 0n), status: CandidateStatus.Removed, slashed: true, eligible: false },
      { ...standing(a, 2n), signingKey: k, eligible: true },
    ],
  };

  it("lists every candidate, then the representatives in order, and the empty seats", function () {
    const lines = formatReport(report).split("\n");
    expect(lines[0]).to.equal(`L1 block 42 0x${"ff".repeat(32)} (2025-11-24T16:00:00.000Z)`);
    expect(lines[1]).to.equal("K = 3, eligible 2, elected 2, 1 seat(s) empty");
    expect(lines).to.include(`  ${c}  ${"0".padStart(24)} votes  removed (slashed) (not eligible)`);
    expect(lines).to.include(`  ${a}  ${"2".padStart(24)} votes  active  key ${k}`);
    const reps = lines.slice(lines.indexOf("representatives:") + 1, -1);
    expect(reps).to.deep.equal([`    1. ${b}  5000000000000000000 votes`, `    2. ${a}  2 votes  key ${k}`]);
  });

  it("prints JSON with bigints as decimal strings", function () {
    const json = JSON.parse(toJson(report)) as { result: { k: string; representatives: { votes: string }[] } };
    expect(json.result.k).to.equal("3");
    expect(json.result.representatives.map((r) => r.votes)).to.deep.equal(["5000000000000000000", "2"]);
  });
});
