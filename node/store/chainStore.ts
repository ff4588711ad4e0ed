import { transactionHash } from "../chain/transaction";
import { headerHash } from "../chain/headerCodec";
import type { FinalizedBlock } from "../chain/types";
import type { Hex } from "../types/primitives";
import { type BatchOp, type Database, writeBatch } from "./database";
import { StoreError, StoreErrorCode } from "./errors";
import { ChainBlockRepository } from "./repositories/chainBlock";
import { type ChainHead, ChainHeadRepository } from "./repositories/chainHead";
import { BlockHashIndex, type TxLocation, TxIndex } from "./repositories/chainIndex";

/**
 * The finalized L2 chain in the node database. Each block is appended in ONE synced batch with its
 * certificate, its hash and transaction index entries and the new head, so a process killed at any
 * instant holds either the chain before or the chain after that block. The chain state (governance
 * tally, representatives, PoW target, nonces) is a deterministic function of the blocks: a restart
 * rebuilds it by re-applying them (no verification needed, they were verified before storing).
 */
export class ChainStore {
  readonly blocks: ChainBlockRepository;
  readonly head: ChainHeadRepository;
  readonly hashes: BlockHashIndex;
  readonly transactions: TxIndex;
  private writing: Promise<void> = Promise.resolve();
  private lastHeight = -1;

  constructor(readonly db: Database) {
    this.blocks = new ChainBlockRepository(db);
    this.head = new ChainHeadRepository(db);
    this.hashes = new BlockHashIndex(db);
    this.transactions = new TxIndex(db);
  }

  /** Appends the next block. Appends are queued: they land in height order, one batch each. */
  append(finalized: FinalizedBlock): Promise<void> {
    const next = this.writing.then(() => this.write(finalized));
    this.writing = next.catch(() => undefined);
    return next;
  }

  private async write(finalized: FinalizedBlock): Promise<void> {
    const height = finalized.block.header.height;
    if (this.lastHeight < 0) this.lastHeight = (await this.head.get())?.height ?? 0;
    if (height !== this.lastHeight + 1) {
      throw new StoreError({
        code: StoreErrorCode.INCONSISTENT,
        reason: `append of block ${height} on head ${this.lastHeight}`,
      });
    }
    const hash = headerHash(finalized.block.header);
    const ops: BatchOp[] = [this.blocks.putOp(finalized), this.hashes.putOp(hash, height)];
    finalized.block.body.transactions.forEach((tx, index) =>
      ops.push(this.transactions.putOp(transactionHash(tx), { height, index })),
    );
    ops.push(this.head.putOp({ height, hash }));
    await writeBatch(this.db, ops, true);
    this.lastHeight = height;
  }

  /** Resolves once every queued append has landed (or failed). */
  flush(): Promise<void> {
    return this.writing;
  }

  async heightOf(hash: Hex): Promise<number | undefined> {
    return this.hashes.get(hash);
  }

  async transactionLocation(hash: Hex): Promise<TxLocation | undefined> {
    return this.transactions.get(hash);
  }

  /** Every stored block in height order, in pages (for rebuilding the chain state at start-up). */
  async *replay(pageSize = 1000): AsyncGenerator<FinalizedBlock> {
    const head = (await this.head.get())?.height ?? 0;
    for (let from = 1; from <= head; from += pageSize) {
      for (const block of await this.blocks.range(from, Math.min(head, from + pageSize - 1))) yield block;
    }
  }

  storedHead(): Promise<ChainHead | undefined> {
    return this.head.get();
  }
}
