import { expect } from "chai";
import { applyFinalizedBlock } from "../../node/chain/chainState";
import { roleOf } from "../../node/consensus/roles";
import { RemovalReason } from "../../node/registry/events";
import { fixture, honestBlock } from "../../node/testing/chainFixture";
import { registration } from "../../node/testing/staticL1";

describe("roles", () => {
  it("switch exactly at the first block of the next epoch, derived from the chain", () => {
    const f = fixture();
    const [k1, , , , k5, k6] = f.keys;
    f.l1.addBlock([
      { kind: "RepresentativeCountChanged", representativeCount: 4n },
      ...f.keys.map((k) => registration(k.address)),
      // k5 and k6 get votes; k1 (a genesis representative) withdraws.
      { kind: "VoteCast", voter: k5.address, candidate: k5.address },
      { kind: "VoteCast", voter: k6.address, candidate: k6.address },
      { kind: "CandidateRemoved", candidate: k1.address, reason: RemovalReason.Withdrawn, refundableAt: 0n },
    ]);
    expect(roleOf(f.state, k1.address)).to.equal("representative");
    expect(roleOf(f.state, k5.address)).to.equal("ordinary");
    for (let h = 1; h <= 2; h++) applyFinalizedBlock(f.config, f.state, honestBlock(f));
    // Mid-epoch: the L1 events are on chain, but roles have not moved.
    expect(roleOf(f.state, k1.address)).to.equal("representative");
    expect(roleOf(f.state, k5.address)).to.equal("candidate");
    applyFinalizedBlock(f.config, f.state, honestBlock(f)); // height 3: the epoch's last block
    expect(roleOf(f.state, k5.address)).to.equal("representative");
    expect(roleOf(f.state, k6.address)).to.equal("representative");
    expect(roleOf(f.state, k1.address)).to.equal("ordinary");
    const losers = f.keys.slice(1, 4).filter((k) => roleOf(f.state, k.address) !== "representative");
    expect(losers.map((k) => roleOf(f.state, k.address))).to.deep.equal(["candidate"]);
  });
});
