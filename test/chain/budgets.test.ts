import { expect } from "chai";
import { txRoot } from "../../node/chain/bodyRoots";
import { ZERO_HASH } from "../../node/chain/bytes";
import {
  DEFAULT_MAX_BLOCK_BYTES,
  DEFAULT_MAX_TRANSACTION_BYTES,
  EMPTY_BLOCK_BYTES,
  MAX_BLOCK_BYTES_LIMIT,
  blockBytes,
  minimumMaxBlockBytes,
  transactionBytes,
} from "../../node/chain/budgets";
import { MAX_CERTIFICATE_SIGNATURES } from "../../node/chain/certificate";
import { ChainError, ChainErrorCode } from "../../node/chain/errors";
import { MAX_REPRESENTATIVES, genesisHash, genesisToJson, parseGenesis } from "../../node/chain/genesis";
import { sealBlock } from "../../node/chain/produceBlock";
import { signTransaction } from "../../node/chain/transaction";
import type { Block, FinalizedBlock } from "../../node/chain/types";
import type { Transaction } from "../../node/chain/transaction";
import { verifyBlock } from "../../node/chain/verifyBlock";
import { MAX_SYNC_RESPONSE_BYTES } from "../../node/validator/syncProtocol";
import { mineSync } from "../../node/sim/instantMiner";
import type { Address, Hex } from "../../node/types/primitives";
import {
  decodeFinalizedBlocks,
  encodeConsensusMessage,
  encodeFinalizedBlocksWithin,
  maxConsensusMessageBytes,
} from "../../node/consensus/messageCodec";
import { maxFrameBytesForChain } from "../../node/validator/frameBudget";
import { fixture, honestBlock, keyOf, type Fixture } from "../../node/testing/chainFixture";

const payloadOf = (bytes: number): Hex => `0x${"ab".repeat(bytes - 97)}`;

function expectCode(fn: () => void, code: ChainErrorCode): ChainError {
  try {
    fn();
  } catch (err) {
    expect((err as ChainError).type?.code, (err as Error).message).to.equal(code);
    return err as ChainError;
  }
  return expect.fail(`expected ${code}`) as never;
}

/** Transactions of `bytes` bytes each from fresh keys (nonce 0), as a flooding client sends them. */
function floodFrom(f: Fixture, count: number, bytes: number): Transaction[] {
  const signer = f.keys[5];
  return Array.from({ length: count }, (_, i) =>
    signTransaction(f.genesis.chainId, signer, BigInt(i), payloadOf(bytes)),
  );
}

/** A block whose body is replaced (re-rooted, re-mined, re-sealed): only the body's rules can fail. */
function withTransactions(f: Fixture, transactions: Transaction[]): Block {
  const block = honestBlock(f);
  const body = { ...block.body, transactions };
  const header = mineSync({ ...block.header, txRoot: txRoot(transactions), nonce: 0n }, 1_000_000)!;
  return sealBlock(f.config, header, body, keyOf(f, header.proposer));
}

/** A budget just above the smallest a genesis with 2,000-byte transactions may set (minimumMaxBlockBytes). */
const BUDGET = 110_000;

describe("byte budgets (genesis maxBlockBytes, maxTransactionBytes)", () => {
  it("are genesis parameters: defaulted in old files, bounded, and part of the genesis hash", () => {
    const { genesis } = fixture();
    const json = JSON.parse(JSON.stringify(genesisToJson(genesis)));
    const { maxBlockBytes: _b, maxTransactionBytes: _t, ...old } = json;
    expect(parseGenesis(old)).to.deep.include({
      maxBlockBytes: DEFAULT_MAX_BLOCK_BYTES,
      maxTransactionBytes: DEFAULT_MAX_TRANSACTION_BYTES,
    });
    const bad = (overrides: object) =>
      expectCode(() => parseGenesis({ ...json, ...overrides }), ChainErrorCode.BAD_GENESIS);
    expect(bad({ maxTransactionBytes: 96 }).message).to.include("maxTransactionBytes 96 not in [97, 4193]");
    expect(bad({ maxBlockBytes: MAX_BLOCK_BYTES_LIMIT + 1 }).message).to.include(
      `maxBlockBytes ${MAX_BLOCK_BYTES_LIMIT + 1}`,
    );
    expect(bad({ maxBlockBytes: 1000, maxTransactionBytes: 1000 }).message).to.include("must hold");
    // Half the budget for events, and the other half for the largest lastCommit (256 signatures),
    // election result (256 representatives), evidence list (32) and one largest transaction.
    const smallest = minimumMaxBlockBytes(2000);
    expect(smallest).to.equal(
      2 * (EMPTY_BLOCK_BYTES + 32 * (4 + 235) + (4 + 48 + 65 * 256) + (4 + 64 + 96 * 256) + 4 + 2000),
    );
    expect(bad({ maxBlockBytes: smallest - 1, maxTransactionBytes: 2000 }).message).to.include(
      `maxBlockBytes ${smallest - 1} not in [${smallest}, `,
    );
    expect(parseGenesis({ ...json, maxBlockBytes: smallest, maxTransactionBytes: 2000 }).maxBlockBytes).to.equal(
      smallest,
    );
    expect(genesisHash({ ...genesis, maxBlockBytes: genesis.maxBlockBytes - 1 })).to.not.equal(genesisHash(genesis));
    expect(genesisHash({ ...genesis, maxTransactionBytes: 200 })).to.not.equal(genesisHash(genesis));
  });

  it("a proposer fills a block up to maxBlockBytes and no further; the block verifies", () => {
    const f = fixture({ maxBlockBytes: BUDGET, maxTransactionBytes: 2000 });
    const candidates = floodFrom(f, 80, 2000);
    const block = honestBlock(f, { transactions: candidates });
    const size = blockBytes(f.config.codec, block);
    expect(size).to.be.at.most(BUDGET);
    expect(size + 2004).to.be.above(BUDGET); // the next one would not have fitted
    expect(block.body.transactions.length).to.be.within(50, 79);
    verifyBlock(f.config, f.state, block, { source: f.l1, nowMs: null });
  });

  it("a validator rejects a block over maxBlockBytes and a transaction over maxTransactionBytes", () => {
    const f = fixture({ maxBlockBytes: BUDGET, maxTransactionBytes: 2000 });
    const tooMany = withTransactions(f, floodFrom(f, 60, 2000));
    const bytes = blockBytes(f.config.codec, tooMany);
    expect(bytes).to.be.above(BUDGET);
    const err = expectCode(
      () => verifyBlock(f.config, f.state, tooMany, { source: f.l1, nowMs: null }),
      ChainErrorCode.BLOCK_TOO_LARGE,
    );
    expect(err.message).to.include(`bytes=${bytes} maxBlockBytes=${BUDGET}`);
    const big = signTransaction(f.genesis.chainId, f.keys[5], 0n, payloadOf(2001));
    const tooBig = withTransactions(f, [big]);
    const txErr = expectCode(
      () => verifyBlock(f.config, f.state, tooBig, { source: f.l1, nowMs: null }),
      ChainErrorCode.BAD_TRANSACTION,
    );
    expect(txErr.message).to.include("2001 bytes > 2000");
  });

  it("a maximum-size block always fits one consensus message, one sync answer and one P2P frame", () => {
    const maxBlockBytes = MAX_BLOCK_BYTES_LIMIT;
    // The worst case for the wire: a full set's election result and lastCommit, a 1,024-signature
    // certificate, and the rest of the budget in transactions of every size.
    const f = fixture();
    const signature = `0x${"ee".repeat(65)}` as Hex;
    const electionResult = Array.from({ length: MAX_REPRESENTATIVES }, (_, i) => ({
      address: `0x${i.toString(16).padStart(40, "0")}` as Address,
      signingKey: `0x${(i + 1000).toString(16).padStart(40, "0")}` as Address,
      votes: (1n << 256n) - 1n,
    }));
    const template = honestBlock(f);
    const transactions: Transaction[] = [];
    const lastCommit = {
      height: 1,
      round: 0,
      blockHash: ZERO_HASH,
      signatures: Array(MAX_REPRESENTATIVES).fill(signature),
    };
    const block = (): Block => ({
      ...template,
      body: { events: [], evidence: [], transactions, electionResult, lastCommit },
    });
    let size = blockBytes(f.config.codec, block());
    for (let i = 0; ; i++) {
      const tx = { from: f.keys[0].address, nonce: BigInt(i), payload: payloadOf(98 + ((i * 37) % 4000)), signature };
      if (size + 4 + transactionBytes(tx) > maxBlockBytes) break;
      transactions.push(tx);
      size += 4 + transactionBytes(tx);
    }
    expect(blockBytes(f.config.codec, block())).to.be.above(maxBlockBytes - 4200);
    const finalized: FinalizedBlock = {
      block: block(),
      certificate: {
        height: 1,
        round: 0,
        blockHash: `0x${"00".repeat(32)}`,
        signatures: Array(MAX_CERTIFICATE_SIGNATURES).fill(signature),
      },
    };
    const limit = maxConsensusMessageBytes(maxBlockBytes);
    const proposal = encodeConsensusMessage({
      type: "proposal",
      height: 1,
      round: 0,
      validRound: -1,
      block: block(),
      signature,
    });
    const commit = encodeConsensusMessage({ type: "commit", finalized });
    expect(proposal.length).to.be.at.most(limit);
    expect(commit.length).to.be.at.most(limit);
    expect(limit).to.be.at.most(MAX_SYNC_RESPONSE_BYTES);
    const answer = encodeFinalizedBlocksWithin([finalized, finalized], MAX_SYNC_RESPONSE_BYTES);
    expect(decodeFinalizedBlocks(answer, 64, MAX_SYNC_RESPONSE_BYTES)).to.have.length(1);
    // a gossip frame: kind, topic "consensus", the message, the AEAD tag
    expect(maxFrameBytesForChain({ maxBlockBytes })).to.be.at.least(1 + 1 + 9 + commit.length + 16);
  });

  it("sync answers stop before the byte bound (but carry at least one block)", () => {
    const f = fixture();
    const template = honestBlock(f);
    const finalized: FinalizedBlock = {
      block: template,
      certificate: { height: 1, round: 0, blockHash: `0x${"00".repeat(32)}`, signatures: [] },
    };
    const one = encodeFinalizedBlocksWithin([finalized], Infinity).length;
    expect(
      decodeFinalizedBlocks(encodeFinalizedBlocksWithin(Array(10).fill(finalized), 2 * one + 10), 64, 1 << 20),
    ).to.have.length(2);
    expect(decodeFinalizedBlocks(encodeFinalizedBlocksWithin([finalized, finalized], 10), 64, 1 << 20)).to.have.length(
      1,
    );
  });
});
