import { expect } from "chai";
import { eventsRoot, txRoot } from "../../node/chain/bodyRoots";
import { electionResultHash } from "../../node/election/representative";
import { ZERO_HASH } from "../../node/chain/bytes";
import { applyFinalizedBlock } from "../../node/chain/chainState";
import { ChainError, ChainErrorCode } from "../../node/chain/errors";
import { headerHash } from "../../node/chain/headerCodec";
import { MAX_TARGET } from "../../node/chain/pow";
import { sealBlock } from "../../node/chain/produceBlock";
import { signTransaction } from "../../node/chain/transaction";
import type { Block, BlockHeader } from "../../node/chain/types";
import { verifyBlock } from "../../node/chain/verifyBlock";
import { mineSync } from "../../node/sim/instantMiner";
import { powHash } from "../../node/chain/pow";
import { fixture, heartbeats, honestBlock, keyOf, type Fixture } from "../../node/testing/chainFixture";
import { approval, firstPower, fixedK, registration } from "../../node/testing/staticL1";

function verify(f: Fixture, block: Block, nowMs: number | null = null): void {
  verifyBlock(f.config, f.state, block, { source: f.l1, nowMs });
}

function expectCode(fn: () => void, code: ChainErrorCode): void {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(ChainError);
    expect((err as ChainError).type.code).to.equal(code);
    return;
  }
  expect.fail(`expected ${code}`);
}

/** Re-mines and re-seals a header edit, so only the edited rule is broken. */
function tampered(f: Fixture, block: Block, edit: (h: BlockHeader) => BlockHeader): Block {
  const header = mineSync({ ...edit(block.header), nonce: 0n }, 1_000_000)!;
  return sealBlock(f.config, header, block.body, keyOf(f, header.proposer));
}

function setupL1(f: Fixture) {
  f.l1.addBlock([
    fixedK(4n),
    ...f.keys.map((k) => registration(k.address)),
    ...f.keys.map((k) => firstPower(k.address)),
  ]);
  f.l1.addBlock([approval(f.keys[5].address, f.keys[5].address)]);
}

describe("verifyBlock", () => {
  it("accepts what an honest proposer builds, importing every L1 event up to its anchor", () => {
    const f = fixture();
    setupL1(f);
    const block = honestBlock(f);
    expect(block.header.l1AnchorNumber).to.equal(2);
    expect(block.body.events).to.have.length(14); // K rule, 6 registrations, 6 power grants, 1 vote
    verify(f, block, block.header.timestamp);
  });

  const cases: { id: string; edit: (h: BlockHeader) => BlockHeader; code: ChainErrorCode }[] = [
    { id: "wrong chain id", edit: (h) => ({ ...h, chainId: 1n }), code: ChainErrorCode.WRONG_CHAIN_ID },
    { id: "wrong height", edit: (h) => ({ ...h, height: 2 }), code: ChainErrorCode.WRONG_HEIGHT },
    { id: "wrong parent", edit: (h) => ({ ...h, parentHash: ZERO_HASH }), code: ChainErrorCode.WRONG_PARENT },
    { id: "wrong epoch", edit: (h) => ({ ...h, epoch: 1 }), code: ChainErrorCode.WRONG_EPOCH },
    {
      id: "an easier PoW target than the epoch's",
      edit: (h) => ({ ...h, powTarget: MAX_TARGET }),
      code: ChainErrorCode.WRONG_POW_TARGET,
    },
    {
      id: "timestamp not after the parent",
      edit: (h) => ({ ...h, timestamp: 1_000_000 }),
      code: ChainErrorCode.TIMESTAMP_NOT_AFTER_PARENT,
    },
    { id: "wrong events root", edit: (h) => ({ ...h, eventsRoot: ZERO_HASH }), code: ChainErrorCode.WRONG_EVENTS_ROOT },
    {
      id: "wrong tx root",
      edit: (h) => ({ ...h, txRoot: `0x${"11".repeat(32)}` }),
      code: ChainErrorCode.WRONG_TX_ROOT,
    },
    {
      id: "an election result off the epoch's last block",
      edit: (h) => ({ ...h, electionResultHash: `0x${"22".repeat(32)}` }),
      code: ChainErrorCode.UNEXPECTED_ELECTION_RESULT,
    },
  ];
  for (const c of cases) {
    it(`rejects ${c.id}`, () => {
      const f = fixture();
      setupL1(f);
      expectCode(() => verify(f, tampered(f, honestBlock(f), c.edit)), c.code);
    });
  }

  it("rejects a block from the wrong proposer for its round", () => {
    const f = fixture();
    const block = honestBlock(f);
    // Round 1's proposer is another representative: the same block claiming round 1 is misattributed.
    expectCode(
      () =>
        verify(
          f,
          tampered(f, block, (h) => ({ ...h, round: 1 })),
        ),
      ChainErrorCode.WRONG_PROPOSER,
    );
  });

  it("rejects a block signed by someone other than its proposer", () => {
    const f = fixture();
    const block = honestBlock(f);
    const other = f.keys.find((k) => k.address !== block.header.proposer)!;
    expectCode(() => verify(f, sealBlock(f.config, block.header, block.body, other)), ChainErrorCode.BAD_SIGNATURE);
  });

  it("rejects a header whose PoW hash is not below the target, even when its header hash is", () => {
    const f = fixture();
    const block = honestBlock(f);
    let nonce = block.header.nonce + 1n;
    let header = { ...block.header, nonce };
    // The rule is on keccak256(sealHash ‖ nonce), not on the block's identity hash.
    const qualifiesOnlyByHeaderHash = (h: typeof header) =>
      BigInt(powHash(h)) >= h.powTarget && BigInt(headerHash(h)) < h.powTarget;
    while (!qualifiesOnlyByHeaderHash(header)) header = { ...block.header, nonce: ++nonce };
    expectCode(
      () => verify(f, sealBlock(f.config, header, block.body, keyOf(f, header.proposer))),
      ChainErrorCode.INSUFFICIENT_POW,
    );
  });

  it("rejects a timestamp beyond the allowed drift of the verifier's clock, but not without a clock", () => {
    const f = fixture();
    const block = honestBlock(f, { nowMs: 2_000_000 });
    expectCode(() => verify(f, block, 2_000_000 - f.config.maxFutureDriftMs - 1), ChainErrorCode.TIMESTAMP_IN_FUTURE);
    verify(f, block, null);
  });

  it("rejects an event the follower did not see, a missing one, and a reordered pair", () => {
    const f = fixture();
    setupL1(f);
    const good = honestBlock(f);
    const events = good.body.events;
    const variants = [events.slice(1), [...events, events[0]], [events[1], events[0], ...events.slice(2)]];
    for (const bad of variants) {
      const body = { ...good.body, events: bad };
      const header = mineSync({ ...good.header, eventsRoot: eventsRoot(f.config.codec, body), nonce: 0n }, 1_000_000)!;
      expectCode(
        () => verify(f, sealBlock(f.config, header, body, keyOf(f, header.proposer))),
        ChainErrorCode.EVENTS_MISMATCH,
      );
    }
  });

  it("rejects an anchor the follower has not confirmed, or with another hash", () => {
    const f = fixture();
    setupL1(f);
    expectCode(
      () =>
        verify(
          f,
          tampered(f, honestBlock(f), (h) => ({ ...h, l1AnchorNumber: 9 })),
        ),
      ChainErrorCode.ANCHOR_NOT_CONFIRMED,
    );
    expectCode(
      () =>
        verify(
          f,
          tampered(f, honestBlock(f), (h) => ({ ...h, l1AnchorHash: `0x${"33".repeat(32)}` })),
        ),
      ChainErrorCode.ANCHOR_HASH_MISMATCH,
    );
  });

  it("rejects an anchor that moves backwards", () => {
    const f = fixture();
    setupL1(f);
    applyFinalizedBlock(f.config, f.state, honestBlock(f));
    expectCode(
      () =>
        verify(
          f,
          tampered(f, honestBlock(f), (h) => ({ ...h, l1AnchorNumber: 1 })),
        ),
      ChainErrorCode.ANCHOR_MOVED_BACKWARDS,
    );
  });

  it("rejects a transaction with a bad signature or a wrong nonce", () => {
    const f = fixture();
    const sender = f.keys[5];
    const tx0 = signTransaction(f.config.genesis.chainId, sender, 0n, "0x01");
    verify(f, honestBlock(f, { transactions: [tx0] }));
    const wrongNonce = signTransaction(f.config.genesis.chainId, sender, 5n, "0x01");
    const badSig = { ...tx0, payload: "0x02" as const };
    for (const tx of [wrongNonce, badSig]) {
      const block = honestBlock(f, { transactions: [] });
      const body = { ...block.body, transactions: [tx] };
      const header = mineSync({ ...block.header, txRoot: txRoot([tx]), nonce: 0n }, 1_000_000)!;
      expectCode(
        () => verify(f, sealBlock(f.config, header, body, keyOf(f, header.proposer))),
        ChainErrorCode.BAD_TRANSACTION,
      );
    }
  });

  it("rejects a block with more transactions than the genesis's maxTransactionsPerBlock; an honest proposer stops there", () => {
    const f = fixture({ maxTransactionsPerBlock: 2 });
    const sender = f.keys[5];
    const txs = [0n, 1n, 2n].map((n) => signTransaction(f.config.genesis.chainId, sender, n, "0x01"));
    const honest = honestBlock(f, { transactions: txs });
    expect(honest.body.transactions).to.deep.equal(txs.slice(0, 2));
    verify(f, honest);
    const header = mineSync({ ...honest.header, txRoot: txRoot(txs), nonce: 0n }, 1_000_000)!;
    const overfull = sealBlock(f.config, header, { ...honest.body, transactions: txs }, keyOf(f, header.proposer));
    expectCode(() => verify(f, overfull), ChainErrorCode.BAD_TRANSACTION);
  });

  describe("epoch switch", () => {
    /** Two blocks, the first with heartbeats of the candidates that are not representatives (keys 5, 6). */
    function runEpoch(f: Fixture) {
      for (let i = 0; i < 2; i++) {
        const b = honestBlock(f, { transactions: i === 0 ? heartbeats(f, f.keys.slice(4)) : [] });
        verify(f, b);
        applyFinalizedBlock(f.config, f.state, b);
      }
      return honestBlock(f);
    }

    it("the last block carries the election, imports nothing, and switches the set for the next epoch", () => {
      const f = fixture();
      setupL1(f);
      // Votes make keys 6, 5, 4, 3 the top four (key 6 has a vote from setupL1).
      f.l1.addBlock([4, 5].map((i) => approval(f.keys[0].address, f.keys[i].address)));
      f.l1.addBlock([approval(f.keys[1].address, f.keys[2].address), approval(f.keys[1].address, f.keys[3].address)]);
      const last = runEpoch(f);
      expect(last.header.height).to.equal(3);
      expect(last.body.events).to.deep.equal([]);
      // Votes desc, then address asc: key 6 (2 votes) first, then the 1-vote candidates by address.
      const oneVote = [f.keys[4], f.keys[2], f.keys[3]].map((k) => k.address).sort();
      expect(last.body.electionResult!.map((r) => r.address)).to.deep.equal([f.keys[5].address, ...oneVote]);
      verify(f, last);
      applyFinalizedBlock(f.config, f.state, last);
      expect(f.state.setsByEpoch.get(1)).to.have.members(
        [f.keys[5], f.keys[4], f.keys[2], f.keys[3]].map((k) => k.address),
      );
      expect(f.state.representatives[0]).to.deep.equal({
        address: f.keys[5].address,
        signingKey: f.keys[5].address,
        votes: 2n,
      });
    });

    it("rejects a last block with another election result", () => {
      const f = fixture();
      setupL1(f);
      const last = runEpoch(f);
      const forged = { ...last.body, electionResult: [...last.body.electionResult!].reverse() };
      const hash = electionResultHash(forged.electionResult);
      const header = mineSync({ ...last.header, electionResultHash: hash, nonce: 0n }, 1_000_000)!;
      expectCode(
        () => verify(f, sealBlock(f.config, header, forged, keyOf(f, header.proposer))),
        ChainErrorCode.WRONG_ELECTION_RESULT,
      );
    });

    it("keeps the current representatives when fewer than 4 candidates qualify", () => {
      const f = fixture();
      f.l1.addBlock([fixedK(4n), registration(f.keys[5].address)]);
      const last = runEpoch(f);
      expect(last.body.electionResult).to.deep.equal(f.state.representatives);
      verify(f, last);
    });

    it("retargets the PoW at the switch", () => {
      const f = fixture();
      const before = f.state.powTarget;
      const last = runEpoch(f);
      applyFinalizedBlock(f.config, f.state, last);
      // 3 blocks 1000 ms apart against a 1000 ms target: exactly on time, so the target stays.
      expect(f.state.powTarget).to.equal(before);
    });
  });
});
