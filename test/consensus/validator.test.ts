import { expect } from "chai";
import { verifyCertificate } from "../../node/chain/certificate";
import { headerHash } from "../../node/chain/headerCodec";
import type { ProposalMessage } from "../../node/consensus/messages";
import { fixture } from "../chain/fixtures";
import { Cluster } from "./cluster";

describe("ValidatorCore", () => {
  it("four representatives finalize certified blocks; an ordinary node without a key follows", () => {
    const f = fixture();
    const cluster = new Cluster(f, [...f.keys.slice(0, 4), null]);
    cluster.start();
    cluster.run();
    const heights = cluster.cores.map((c) => c.state.height);
    expect(Math.min(...heights)).to.be.at.least(5);
    const members = f.genesis.representatives;
    for (let h = 1; h <= 5; h++) {
      const hashes = new Set(cluster.stored.map((s) => headerHash(s[h - 1].block.header)));
      expect(hashes.size, `height ${h}`).to.equal(1);
      const { block, certificate } = cluster.stored[4][h - 1];
      verifyCertificate(f.config.genesis.chainId, certificate, h, headerHash(block.header), members);
    }
    expect(cluster.invalid).to.deep.equal([]);
  });

  it("REJECTs a proposal not signed by proposer(h, r), and it changes nothing", () => {
    const f = fixture();
    const cluster = new Cluster(f, f.keys.slice(0, 4));
    cluster.start();
    // A real proposal presented for the next round: its signature is not that round proposer's.
    const proposal = cluster.queue.map((q) => q.message).find((m): m is ProposalMessage => m.type === "proposal")!;
    const forged = { ...proposal, round: proposal.round + 1 };
    const target = cluster.cores.findIndex((c) => c.machine.step === "propose");
    const before = cluster.cores[target].machine.step;
    const effects = cluster.deliver(target, forged);
    expect(effects).to.have.length(1);
    expect(effects[0]).to.include({ type: "invalid", verdict: "reject" });
    expect(cluster.cores[target].machine.step).to.equal(before);
  });

  it("REJECTs a commit whose certificate lacks a quorum, and does not move", () => {
    const f = fixture();
    const cluster = new Cluster(f, [...f.keys.slice(0, 4), null]);
    cluster.start();
    cluster.run();
    const good = cluster.stored[0][0];
    const late = new Cluster(f, [null]);
    late.start();
    const weak = { ...good, certificate: { ...good.certificate, signatures: good.certificate.signatures.slice(0, 2) } };
    const effects = late.deliver(0, { type: "commit", finalized: weak });
    expect(effects[0]).to.include({ type: "invalid", verdict: "reject" });
    expect(effects[0])
      .to.have.property("reason")
      .that.matches(/CERTIFICATE_NO_QUORUM/);
    expect(late.cores[0].state.height).to.equal(0);
    // The genuine commit is accepted and applied.
    const ok = late.deliver(0, { type: "commit", finalized: good });
    expect(ok.some((e) => e.type === "finalized")).to.equal(true);
    expect(late.cores[0].state.height).to.equal(1);
  });

  it("answers a status from a node behind with the commits it misses (bounded)", () => {
    const f = fixture();
    const cluster = new Cluster(f, f.keys.slice(0, 4));
    cluster.start();
    cluster.run();
    const replies = cluster.deliver(0, { type: "status", height: 2 });
    const commits = replies.filter((e) => e.type === "send" && e.message.type === "commit");
    expect(commits.length).to.equal(cluster.cores[0].state.height - 2);
    expect(commits.every((e) => e.type === "send" && e.to === "99")).to.equal(true);
  });
});
