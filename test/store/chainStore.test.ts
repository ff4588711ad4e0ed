import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyFinalizedBlock, createChainState } from "../../node/chain/chainState";
import { transactionHash } from "../../node/chain/transaction";
import { headerHash } from "../../node/chain/headerCodec";
import { RegistryMirror } from "../../node/chain/registryView";
import { openDatabase } from "../../node/store/database";
import { ChainStore } from "../../node/store/chainStore";
import { StoreError } from "../../node/store/errors";
import { fixture } from "../../node/testing/chainFixture";
import { certifiedChain } from "../../node/testing/certifiedChain";

describe("ChainStore", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "repchain-chainstore-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps blocks, certificates and indexes across a reopen, and the replay rebuilds the same state", async () => {
    const f = fixture();
    const blocks = certifiedChain(f, 7, 2);
    let db = await openDatabase(join(dir, "db"));
    let store = new ChainStore(db);
    for (const b of blocks) void store.append(b);
    await store.flush();
    await db.close();

    db = await openDatabase(join(dir, "db"));
    store = new ChainStore(db);
    expect(await store.storedHead()).to.deep.equal({ height: 7, hash: f.state.headHash });
    expect(await store.blocks.get(4)).to.deep.equal(blocks[3]);
    expect(await store.heightOf(headerHash(blocks[5].block.header))).to.equal(6);
    const tx = blocks[2].block.body.transactions[1];
    expect(await store.transactionLocation(transactionHash(tx))).to.deep.equal({ height: 3, index: 1 });
    const rebuilt = createChainState(f.config, new RegistryMirror());
    for await (const b of store.replay(3)) applyFinalizedBlock(f.config, rebuilt, b.block);
    expect(rebuilt.headHash).to.equal(f.state.headHash);
    expect(rebuilt.l1Anchor).to.deep.equal(f.state.l1Anchor);
    expect(rebuilt.accountNonces).to.deep.equal(f.state.accountNonces);
    expect([...(rebuilt.governance as RegistryMirror).registry.candidates.keys()]).to.deep.equal([
      ...(f.state.governance as RegistryMirror).registry.candidates.keys(),
    ]);
    await db.close();
  });

  it("refuses an append that does not extend the stored head, and stores nothing of it", async () => {
    const f = fixture();
    const blocks = certifiedChain(f, 3, 0);
    const db = await openDatabase(join(dir, "db"));
    const store = new ChainStore(db);
    await store.append(blocks[0]);
    const error = await store.append(blocks[2]).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).to.be.instanceOf(StoreError);
    expect(await store.blocks.get(3)).to.equal(undefined);
    expect((await store.storedHead())?.height).to.equal(1);
    await store.append(blocks[1]);
    expect((await store.storedHead())?.height).to.equal(2);
    await db.close();
  });
});
