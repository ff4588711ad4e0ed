import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { Hex } from "../types/primitives";
import { isRecoveryRemembered, parseSignature, rememberRecovery } from "./signing";

/** A signature over a digest, to be recovered. */
export interface SignedDigest {
  readonly digest: Uint8Array;
  readonly signature: Hex;
}

const RECORD = 97;
const PUBLIC_KEY = 65;

/**
 * Signature recovery on `threads` worker threads (node/chain/recoverWorker.js), for a node that
 * verifies many blocks at once (sync): recovery is ≈ 75–80 % of verifying a block (profiled, see
 * docs/consensus.md), and one core recovers ≈ 15k/s at best. recoverAll fills the recovery memo of
 * node/chain/signing.ts; the verifier then runs unchanged — every rule, every comparison of a
 * recovered signer — and finds the curve math done. Nothing is skipped: a signature the pool did
 * not recover is recovered by the verifier itself.
 */
export class RecoveryPool {
  private readonly workers: Worker[];
  private nextId = 1;
  private readonly pending = new Map<number, (output: Uint8Array) => void>();

  constructor(readonly threads: number) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be ≥ 1, got ${threads}`);
    this.workers = Array.from({ length: threads }, () => {
      const worker = new Worker(join(__dirname, "recoverWorker.js"));
      worker.on("message", ({ id, output }: { id: number; output: Uint8Array }) => {
        this.pending.get(id)?.(output);
        this.pending.delete(id);
      });
      return worker;
    });
  }

  /** Recovers every signature not already in the memo, split evenly over the workers, into the memo. */
  async recoverAll(items: readonly SignedDigest[]): Promise<void> {
    const todo: { item: SignedDigest; rs: Uint8Array; recid: number }[] = [];
    for (const item of items) {
      if (isRecoveryRemembered(item.digest, item.signature)) continue;
      const parsed = parseSignature(item.signature);
      if (parsed === null) rememberRecovery(item.digest, item.signature, null);
      else todo.push({ item, ...parsed });
    }
    const share = Math.ceil(todo.length / this.threads);
    const jobs = this.workers.map((worker, w) => this.run(worker, todo.slice(w * share, (w + 1) * share)));
    await Promise.all(jobs);
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private async run(worker: Worker, todo: { item: SignedDigest; rs: Uint8Array; recid: number }[]): Promise<void> {
    if (todo.length === 0) return;
    const input = new Uint8Array(todo.length * RECORD);
    todo.forEach(({ item, rs, recid }, i) => {
      input.set(item.digest, i * RECORD);
      input.set(rs, i * RECORD + 32);
      input[i * RECORD + 96] = recid;
    });
    const id = this.nextId++;
    const output = await new Promise<Uint8Array>((resolve) => {
      this.pending.set(id, resolve);
      worker.postMessage({ id, input }, [input.buffer]);
    });
    todo.forEach(({ item }, i) => {
      const key = output.subarray(i * PUBLIC_KEY, (i + 1) * PUBLIC_KEY);
      rememberRecovery(item.digest, item.signature, key[0] === 0 ? null : key);
    });
  }
}
