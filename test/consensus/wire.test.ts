import { expect } from "chai";
import { ChainError, ChainErrorCode } from "../../node/chain/errors";
import { signTransaction } from "../../node/chain/transaction";
import type { ConsensusMessage } from "../../node/consensus/messages";
import { decodeMessage, encodeMessage } from "../../node/consensus/wire";
import { fixture, registration } from "../chain/fixtures";
import { Cluster } from "./cluster";

function malformed(text: string, maxBytes?: number): string {
  try {
    decodeMessage(text, maxBytes);
  } catch (err) {
    expect((err as ChainError).type.code).to.equal(ChainErrorCode.MALFORMED);
    return (err as Error).message;
  }
  return expect.fail("accepted") as never;
}

describe("wire format", () => {
  const f = fixture();
  f.l1.addBlock([
    { kind: "RepresentativeCountChanged", representativeCount: 4n },
    ...f.keys.map((k) => registration(k.address)),
  ]);
  const cluster = new Cluster(f, f.keys.slice(0, 4));
  cluster.start();
  cluster.run();
  const sent: ConsensusMessage[] = [
    ...cluster.sent.filter((m) => m.type === "proposal" || m.type === "vote").slice(0, 20),
    { type: "commit", finalized: cluster.stored[0][0] },
    { type: "commit", finalized: cluster.stored[0][2] },
    { type: "status", height: 3 },
    { type: "transaction", tx: signTransaction(1337n, f.keys[5], 0n, "0xabcd") },
  ];
  const byType = (type: string) => sent.find((m) => m.type === type)!;

  it("round-trips every kind of message, with events, election results and bigints intact", () => {
    expect(new Set(sent.map((m) => m.type))).to.have.all.keys("proposal", "vote", "commit", "status", "transaction");
    expect(cluster.stored[0][0].block.body.events.length).to.be.greaterThan(0);
    expect(cluster.stored[0][2].block.body.electionResult).to.not.equal(null);
    for (const m of sent) expect(decodeMessage(encodeMessage(m))).to.deep.equal(m);
  });

  it("rejects oversized, non-JSON and unknown messages", () => {
    expect(malformed(encodeMessage(byType("commit")), 100)).to.match(/bytes > 100/);
    expect(malformed("{")).to.match(/not JSON/);
    expect(malformed(JSON.stringify({ type: "gossip" }))).to.match(/type/);
  });

  it("rejects bad fields by path: short hash, uppercase hex, unsafe integers, extra fields, bad events", () => {
    const vote = JSON.parse(encodeMessage(byType("vote")));
    expect(malformed(JSON.stringify({ ...vote, blockHash: "0x1234" }))).to.match(/blockHash/);
    expect(
      malformed(JSON.stringify({ ...vote, validator: vote.validator.toUpperCase().replace("0X", "0x") })),
    ).to.match(/validator/);
    expect(malformed(JSON.stringify({ ...vote, height: 2 ** 60 }))).to.match(/height/);
    expect(malformed(JSON.stringify({ ...vote, extra: 1 }))).to.match(/extra|Unrecognized/i);
    const commit = JSON.parse(encodeMessage(byType("commit")));
    commit.finalized.block.body.events[0].kind = "Bribe";
    expect(malformed(JSON.stringify(commit))).to.match(/events\.0/);
    const commit2 = JSON.parse(encodeMessage(byType("commit")));
    commit2.finalized.certificate.signatures = new Array(1025).fill(commit2.finalized.certificate.signatures[0]);
    expect(malformed(JSON.stringify(commit2))).to.match(/signatures/);
  });
});
