import { expect } from "chai";
import { headerHash } from "../../node/chain/headerCodec";
import { recoverSigner } from "../../node/chain/signing";
import { voteDigest } from "../../node/chain/voteDigest";
import type { VoteMessage } from "../../node/consensus/messages";
import { testEquivocationRequested } from "../../node/consensus/testEquivocation";
import { fixture } from "../../node/testing/chainFixture";
import { Cluster } from "./coreCluster";

describe("TEST ONLY equivocation switch (REPCHAIN_TEST_EQUIVOCATE)", () => {
  it("is on only for the exact value 1", () => {
    expect(testEquivocationRequested({ REPCHAIN_TEST_EQUIVOCATE: "1" })).to.equal(true);
    for (const v of [undefined, "", "0", "true", "yes"]) {
      expect(testEquivocationRequested({ REPCHAIN_TEST_EQUIVOCATE: v }), String(v)).to.equal(false);
    }
  });

  it("the switched node signs a second, conflicting vote for each of its votes; the others see equivocation and keep finalizing", () => {
    const f = fixture();
    const keys = f.keys.slice(0, 4);
    const cluster = new Cluster(f, keys, (i) => (i === 3 ? { testEquivocateWith: keys[3] } : {}));
    const equivocations: { at: number; first: VoteMessage; second: VoteMessage }[] = [];
    const apply = cluster.apply.bind(cluster);
    cluster.apply = (i, effects) => {
      for (const e of effects) if (e.type === "equivocation") equivocations.push({ at: i, ...e });
      apply(i, effects);
    };
    cluster.start();
    cluster.run();
    expect(Math.min(...cluster.cores.map((c) => c.state.height))).to.be.at.least(5);
    for (let h = 1; h <= 5; h++) {
      expect(new Set(cluster.stored.map((s) => headerHash(s[h - 1].block.header))).size, `height ${h}`).to.equal(1);
    }
    // Votes by node 3 only, both signatures its own, one (h, r, kind), two block hashes.
    const chainId = f.config.genesis.chainId;
    const byzantine = keys[3].address;
    expect(equivocations.length).to.be.greaterThan(0);
    for (const { at, first, second } of equivocations) {
      expect(at).to.not.equal(3);
      expect(first.validator).to.equal(byzantine);
      expect([first.height, first.round, first.kind]).to.deep.equal([second.height, second.round, second.kind]);
      expect(first.blockHash).to.not.equal(second.blockHash);
      for (const v of [first, second]) {
        const digest = voteDigest(v.kind, chainId, v.height, v.round, v.blockHash!);
        expect(recoverSigner(digest, v.signature)).to.equal(byzantine);
      }
    }
    const kinds = new Set(equivocations.map((e) => e.first.kind));
    expect([...kinds].sort()).to.deep.equal(["precommit", "prevote"]);
  });
});
