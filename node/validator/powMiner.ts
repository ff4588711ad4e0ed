import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { uintBytes } from "../chain/bytes";
import { encodeHeader, NONCE_OFFSET } from "../chain/headerCodec";
import type { BlockHeader } from "../chain/types";

/** What one search did: the nonce (null if abandoned) and the speed it ran at. */
export interface MiningResult {
  readonly header: BlockHeader | null;
  readonly hashes: number;
  readonly ms: number;
}

type WorkerReply = { type: "found" | "abandoned"; id: number; nonce?: string; hashes: number; ms: number };

/**
 * Proof of work off the event loop: one worker thread (node/validator/powWorker.js) searches nonces for
 * one header at a time. Starting a new job abandons the previous one — the round moved on, its
 * block is useless — through a shared slot the worker polls every few thousand hashes, so the
 * worker never needs to be torn down between jobs.
 */
export class PowMiner {
  private readonly worker: Worker;
  private readonly control = new SharedArrayBuffer(4);
  private readonly current = new Int32Array(this.control);
  private nextId = 1;
  private readonly pending = new Map<number, { header: BlockHeader; resolve: (r: MiningResult) => void }>();
  /** Hashes per second of the last finished or abandoned search. */
  hashRate = 0;

  constructor() {
    this.worker = new Worker(join(__dirname, "powWorker.js"), { workerData: { control: this.control } });
    this.worker.on("message", (reply: WorkerReply) => this.onReply(reply));
  }

  /** Searches a nonce for `header`; resolves with header = null if abandoned by a later call or `cancel`. */
  mine(header: BlockHeader): Promise<MiningResult> {
    const id = this.nextId++;
    Atomics.store(this.current, 0, id);
    const bytes = encodeHeader({ ...header, nonce: 0n });
    const target = uintBytes(header.powTarget >= 1n << 256n ? (1n << 256n) - 1n : header.powTarget, 32);
    return new Promise((resolve) => {
      this.pending.set(id, { header, resolve });
      this.worker.postMessage({ id, header: bytes, target, nonceOffset: NONCE_OFFSET });
    });
  }

  /** Abandons the running search (if any). */
  cancel(): void {
    Atomics.store(this.current, 0, 0);
  }

  async stop(): Promise<void> {
    this.cancel();
    await this.worker.terminate();
    for (const { resolve } of this.pending.values()) resolve({ header: null, hashes: 0, ms: 0 });
    this.pending.clear();
  }

  private onReply(reply: WorkerReply): void {
    const job = this.pending.get(reply.id);
    if (job === undefined) return;
    this.pending.delete(reply.id);
    if (reply.ms > 0) this.hashRate = Math.round((reply.hashes * 1000) / reply.ms);
    const header = reply.type === "found" ? { ...job.header, nonce: BigInt(reply.nonce!) } : null;
    job.resolve({ header, hashes: reply.hashes, ms: reply.ms });
  }
}
