import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { uintBytes } from "../chain/bytes";
import { sealHash } from "../chain/pow";
import type { BlockHeader } from "../chain/types";

/** What one search did: the nonce (null if abandoned) and the speed it ran at. */
export interface MiningResult {
  readonly header: BlockHeader | null;
  /** Hashes tried by the workers that had answered when the search ended (all of them if abandoned). */
  readonly hashes: number;
  readonly ms: number;
}

type WorkerReply = { type: "found" | "abandoned"; id: number; nonce?: string; hashes: number; ms: number };

interface Job {
  readonly header: BlockHeader;
  readonly resolve: (r: MiningResult) => void;
  replies: WorkerReply[];
  settled: boolean;
}

/**
 * Proof of work off the event loop: `threads` worker threads (node/validator/powWorker.js) search
 * nonces for one header at a time, worker k trying k, k + threads, k + 2·threads, … Starting a new job
 * abandons the previous one — the round moved on, its block is useless — through a shared slot the
 * workers poll every few thousand hashes, so they never need to be torn down between jobs. The first
 * worker to find a nonce ends the job for all.
 */
export class PowMiner {
  private readonly workers: Worker[];
  private readonly control = new SharedArrayBuffer(4);
  private readonly current = new Int32Array(this.control);
  private nextId = 1;
  private readonly pending = new Map<number, Job>();
  /** Hashes per second of the last search all workers answered, summed over the workers. */
  hashRate = 0;

  constructor(readonly threads = 1) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be ≥ 1, got ${threads}`);
    this.workers = Array.from({ length: threads }, () => {
      const worker = new Worker(join(__dirname, "powWorker.js"), { workerData: { control: this.control } });
      worker.on("message", (reply: WorkerReply) => this.onReply(reply));
      return worker;
    });
  }

  /** Searches a nonce for `header`; resolves with header = null if abandoned by a later call or `cancel`. */
  mine(header: BlockHeader): Promise<MiningResult> {
    const id = this.nextId++;
    Atomics.store(this.current, 0, id);
    const seal = sealHash(header);
    const target = uintBytes(header.powTarget >= 1n << 256n ? (1n << 256n) - 1n : header.powTarget, 32);
    return new Promise((resolve) => {
      this.pending.set(id, { header, resolve, replies: [], settled: false });
      this.workers.forEach((w, k) => w.postMessage({ id, seal, target, first: k, stride: this.threads }));
    });
  }

  /** Abandons the running search (if any). */
  cancel(): void {
    Atomics.store(this.current, 0, 0);
  }

  async stop(): Promise<void> {
    this.cancel();
    await Promise.all(this.workers.map((w) => w.terminate()));
    for (const job of this.pending.values()) if (!job.settled) job.resolve({ header: null, hashes: 0, ms: 0 });
    this.pending.clear();
  }

  private onReply(reply: WorkerReply): void {
    const job = this.pending.get(reply.id);
    if (job === undefined) return;
    job.replies.push(reply);
    const hashes = job.replies.reduce((sum, r) => sum + r.hashes, 0);
    const ms = Math.max(...job.replies.map((r) => r.ms));
    if (reply.type === "found" && !job.settled) {
      // Stop the other workers, unless a newer job already replaced this one.
      Atomics.compareExchange(this.current, 0, reply.id, 0);
      job.settled = true;
      job.resolve({ header: { ...job.header, nonce: BigInt(reply.nonce!) }, hashes, ms });
    }
    if (job.replies.length < this.threads) return;
    this.pending.delete(reply.id);
    if (ms > 0) this.hashRate = Math.round((hashes * 1000) / ms);
    if (!job.settled) job.resolve({ header: null, hashes, ms });
  }
}
