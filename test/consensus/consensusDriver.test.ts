import { expect } from "chai";
import { observerCore } from "../../node/testing/observerCore";
import { Mempool } from "../../node/chain/mempool";
import { signTransaction, type Transaction } from "../../node/chain/transaction";
import { ConsensusDriver } from "../../node/consensus/consensusDriver";
import { quietPorts } from "../../node/testing/driverPorts";
import { fixture, honestBlock } from "../../node/testing/chainFixture";
import { certify } from "../../node/testing/certifiedChain";

/** A driver around an observer core whose ports record what was published; time stands still. */
function observer() {
  const f = fixture();
  const core = observerCore(f, new Mempool(f.genesis.chainId));
  const published: Transaction[] = [];
  const ports = quietPorts({ publishTransaction: (tx) => published.push(tx) });
  return { f, driver: new ConsensusDriver(core, ports), published };
}

describe("ConsensusDriver's transaction admission (the transaction topic, outside the core)", () => {
  it("publishes a client's transaction; a gossiped one is ACCEPTed for the P2P layer to forward, once", () => {
    const { f, driver, published } = observer();
    const local = signTransaction(f.genesis.chainId, f.keys[5], 0n, "0x01");
    expect(driver.submitTransaction(local).verdict).to.equal("accept");
    expect(published).to.deep.equal([local]);
    const gossiped = signTransaction(f.genesis.chainId, f.keys[4], 0n, "0x01");
    expect(driver.submitTransaction(gossiped, "peer").verdict).to.equal("accept");
    expect(published, "not published a second time").to.deep.equal([local]);
  });

  it("publishes again a client's transaction that is pending here already (it may never have left), and says it is known", () => {
    const { f, driver, published } = observer();
    const tx = signTransaction(f.genesis.chainId, f.keys[5], 0n, "0x01");
    driver.submitTransaction(tx);
    const again = driver.submitTransaction(tx);
    expect(again.result).to.include({ accepted: false, reason: "MEMPOOL_DUPLICATE" });
    expect(published).to.deep.equal([tx, tx]);
    // Only the client's own node does so: a copy from a peer is dropped quietly.
    expect(driver.submitTransaction(tx, "peer").verdict).to.equal("ignore");
    expect(published).to.have.length(2);
  });

  it("IGNOREs a gossiped transaction the mempool does not take (so it is not forwarded), REJECTs a forged one", () => {
    const { f, driver, published } = observer();
    const tx = signTransaction(f.genesis.chainId, f.keys[5], 0n, "0x01");
    driver.submitTransaction(tx, "peer");
    const again = driver.submitTransaction(tx, "peer");
    expect(again.verdict).to.equal("ignore");
    expect(again.result).to.include({ accepted: false, reason: "MEMPOOL_DUPLICATE" });
    expect(driver.submitTransaction({ ...tx, nonce: 1n }, "peer").verdict).to.equal("reject");
    expect(published).to.deep.equal([]);
  });
});

describe("ConsensusDriver before it starts (the node is still checking its stored L1 view)", () => {
  it("IGNOREs consensus messages, changing nothing; the same message is taken once started", () => {
    const { f, driver } = observer();
    const finalized = certify(f, honestBlock(f));
    const verdicts: string[] = [];
    driver.onMessage({ type: "commit", finalized }, "peer", "gossip", (v) => verdicts.push(v));
    expect(verdicts).to.deep.equal(["ignore"]);
    expect(driver.core.state.height).to.equal(0);
    driver.start();
    driver.onMessage({ type: "commit", finalized }, "peer", "gossip", (v) => verdicts.push(v));
    expect(verdicts).to.deep.equal(["ignore", "accept"]);
    expect(driver.core.state.height).to.equal(1);
  });
});
