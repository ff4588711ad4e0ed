import { expect } from "chai";
import { applyFinalizedBlock } from "../../node/chain/chainState";
import { roleOf } from "../../node/consensus/roles";
import { RemovalReason } from "../../node/registry/events";
import { fixture, heartbeats, honestBlock } from "../../node/testing/chainFixture";
import { testKey } from "../../node/testing/keys";
import { approval, firstPower, fixedK, registration } from "../../node/testing/staticL1";

describe("roles", () => {
  it("switch exactly at the first block of the next epoch, derived from the chain", () => {
    const f = fixture();
    const [k1, , , , k5, k6] = f.keys;
    f.l1.addBlock([
      fixedK(4n),
      ...f.keys.map((k) => registration(k.address)),
      // k5 and k6 get votes (their own token power); k1 (a genesis representative) withdraws.
      firstPower(k5.address),
      firstPower(k6.address),
      approval(k5.address, k5.address),
      approval(k6.address, k6.address),
      {
        kind: "CandidateRemoved",
        candidate: k1.address,
        reason: RemovalReason.Withdrawn,
        remover: k1.address,
        revocationReason: `0x${"00".repeat(32)}`,
        refundableAt: 0n,
      },
    ]);
    expect(roleOf(f.state, k1.address)).to.equal("representative");
    expect(roleOf(f.state, k5.address)).to.equal("ordinary");
    applyFinalizedBlock(f.config, f.state, honestBlock(f));
    // The new candidates show they are alive (docs/consensus.md, "Liveness and downtime").
    applyFinalizedBlock(f.config, f.state, honestBlock(f, { transactions: heartbeats(f, [k5, k6]) }));
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

  it("follow the signing key standing at the election: a rotated key represents, the old one no longer does", () => {
    const f = fixture();
    const [, , , , k5, k6] = f.keys;
    const rotatedKey = testKey(7);
    f.keys.push(rotatedKey);
    f.l1.addBlock([
      fixedK(4n),
      ...f.keys.slice(0, 6).map((k) => registration(k.address)),
      firstPower(k6.address, 5n),
      ...[k5, f.keys[0], f.keys[1], f.keys[2]].map((k) => approval(k6.address, k.address)),
      { kind: "SigningKeyRotated", candidate: k5.address, oldKey: k5.address, newKey: rotatedKey.address },
    ]);
    applyFinalizedBlock(f.config, f.state, honestBlock(f));
    applyFinalizedBlock(f.config, f.state, honestBlock(f, { transactions: heartbeats(f, [rotatedKey]) }));
    applyFinalizedBlock(f.config, f.state, honestBlock(f));
    const elected = f.state.representatives.find((r) => r.address === k5.address);
    expect(elected).to.deep.equal({ address: k5.address, signingKey: rotatedKey.address, votes: 5n });
    expect(f.state.setsByEpoch.get(1)).to.include(rotatedKey.address).and.not.include(k5.address);
    expect(roleOf(f.state, rotatedKey.address)).to.equal("representative");
    expect(roleOf(f.state, k5.address)).to.equal("ordinary");
    // The new epoch's blocks are proposed and certified with the rotated key.
    for (let h = 4; h <= 6; h++) applyFinalizedBlock(f.config, f.state, honestBlock(f));
    expect(f.state.height).to.equal(6);
  });
});
