import { expect } from "chai";
import { heartbeatPayload } from "../../node/chain/heartbeat";
import { signTransaction } from "../../node/chain/transaction";
import type { FinalizedBlock } from "../../node/chain/types";
import type { Effect, ValidatorCore } from "../../node/consensus/validator";
import { certify } from "../../node/testing/certifiedChain";
import { fixture, heartbeats, honestBlock, type Fixture } from "../../node/testing/chainFixture";
import { followingCore } from "../../node/testing/observerCore";
import { registration } from "../../node/testing/staticL1";
import { applyFinalizedBlock } from "../../node/chain/chainState";

/** The fixture's next honest block (with `txs`), certified, applied there and delivered to `core`. */
function next(f: Fixture, core: ValidatorCore, transactions = heartbeats(f, [])): Effect[] {
  const finalized: FinalizedBlock = certify(f, honestBlock(f, { transactions }));
  applyFinalizedBlock(f.config, f.state, finalized.block);
  return core.onMessage({ type: "commit", finalized }, "peer", finalized.block.header.timestamp);
}

const heartbeatOf = (effects: Effect[]) => effects.find((e) => e.type === "heartbeat");

describe("a candidate node's heartbeat", () => {
  it("a registered candidate that is no representative sends one each epoch until a block holds it", () => {
    const f = fixture({ epochLength: 4 });
    const candidate = f.keys[4];
    f.l1.addBlock([registration(candidate.address)]);
    const core = followingCore(f, candidate);
    const first = heartbeatOf(next(f, core)); // block 1 imports the registration
    expect(first).to.deep.include({ type: "heartbeat" });
    const tx = first!.type === "heartbeat" ? first!.tx : null;
    expect(tx).to.include({ from: candidate.address, nonce: 0n, payload: heartbeatPayload(0) });
    // Not in block 2: the same transaction is sent again (it may have been lost).
    expect(heartbeatOf(next(f, core))).to.deep.equal(first);
    // Block 3 holds it: nothing more in epoch 0.
    expect(heartbeatOf(next(f, core, [tx!]))).to.equal(undefined);
    expect(core.state.liveness.active).to.include(candidate.address);
    // Block 4 ends epoch 0: from then on the node is due in epoch 1, with its next nonce.
    const again = heartbeatOf(next(f, core));
    expect(again?.type === "heartbeat" && again.tx).to.include({ nonce: 1n, payload: heartbeatPayload(1) });
  });

  it("a transaction of its own that takes the heartbeat's nonce proves it alive; the next epoch's heartbeat takes the next nonce", () => {
    const f = fixture({ epochLength: 4 });
    const candidate = f.keys[4];
    f.l1.addBlock([registration(candidate.address)]);
    const core = followingCore(f, candidate);
    const first = heartbeatOf(next(f, core)); // block 1: the heartbeat with nonce 0 goes out
    expect(first?.type === "heartbeat" && first.tx.nonce).to.equal(0n);
    // Block 2 holds another transaction of the same key with nonce 0 (sent with `repchain tx send`, say).
    const own = signTransaction(f.genesis.chainId, candidate, 0n, "0x0102");
    expect(heartbeatOf(next(f, core, [own]))).to.equal(undefined);
    expect(core.state.liveness.active).to.include(candidate.address);
    expect(heartbeatOf(next(f, core))).to.equal(undefined); // block 3: nothing more in epoch 0
    const again = heartbeatOf(next(f, core)); // block 4 ends epoch 0
    expect(again?.type === "heartbeat" && again.tx).to.include({ nonce: 1n, payload: heartbeatPayload(1) });
  });

  it("a candidate catching up on blocks older than an epoch's worth of block time sends none", () => {
    const f = fixture({ epochLength: 4 });
    f.l1.addBlock([registration(f.keys[4].address)]);
    const core = followingCore(f, f.keys[4]);
    const finalized = certify(f, honestBlock(f));
    applyFinalizedBlock(f.config, f.state, finalized.block);
    const late = finalized.block.header.timestamp + 4 * f.genesis.targetBlockTimeMs + 1;
    expect(heartbeatOf(core.onMessage({ type: "commit", finalized }, "peer", late))).to.equal(undefined);
    expect(core.state.height).to.equal(1);
  });

  it("a representative (its precommits speak for it) and a node that is no candidate send none", () => {
    const f = fixture({ epochLength: 4 });
    f.l1.addBlock([registration(f.keys[0].address)]);
    const representative = followingCore(f, f.keys[0]);
    const stranger = followingCore(f, f.keys[5]);
    for (let h = 1; h <= 3; h++) {
      const finalized = certify(f, honestBlock(f));
      applyFinalizedBlock(f.config, f.state, finalized.block);
      for (const core of [representative, stranger]) {
        const effects = core.onMessage({ type: "commit", finalized }, "peer", finalized.block.header.timestamp);
        expect(heartbeatOf(effects)).to.equal(undefined);
      }
    }
  });
});
