import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { L1Follower, type FollowerOptions } from "../../node/l1/follower";
import { registryDecoder, storeIdentity } from "../../node/l1/registries";
import { createTransport } from "../../node/l1/rpc";
import { createLogger } from "../../node/log";
import { L1Store } from "../../node/store/l1Store";
import type { Deployment } from "../../node/types/deployment";
import type { StoreIdentity } from "../../node/store/repositories/meta";

export interface TestFollower {
  readonly follower: L1Follower;
  readonly store: L1Store;
  readonly dir: string;
  /** Steps until the follower reports it is caught up (at most `maxSteps`). */
  sync(maxSteps?: number): Promise<void>;
  close(): Promise<void>;
}

export function tempDir(prefix = "repchain-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A follower on a fresh (or given) data directory, talking to `url`. */
export async function openFollower(
  url: string,
  deployment: Deployment,
  opts: Partial<
    Pick<
      FollowerOptions,
      | "confirmations"
      | "maxBlockRange"
      | "rangeTargetEvents"
      | "backoffMs"
      | "logger"
      | "stalledHeadNoticeMs"
      | "nowMs"
      | "l2ChainId"
    >
  > & {
    dir?: string;
    identity?: Partial<StoreIdentity>;
    rpcTimeoutMs?: number;
  } = {},
): Promise<TestFollower> {
  const dir = opts.dir ?? tempDir();
  const store = await L1Store.open(join(dir, "db"));
  const rpc = createTransport(url, opts.rpcTimeoutMs ?? 5_000);
  const follower = new L1Follower({
    rpc,
    store,
    decoder: registryDecoder(deployment),
    deployment: { ...storeIdentity(deployment), ...opts.identity },
    l2ChainId: opts.l2ChainId,
    confirmations: opts.confirmations ?? 0,
    maxBlockRange: opts.maxBlockRange ?? 2_000,
    rangeTargetEvents: opts.rangeTargetEvents,
    pollIntervalMs: 20,
    backoffMs: opts.backoffMs ?? { initial: 10, max: 100 },
    logger: opts.logger ?? createLogger("test", process.env.TEST_LOG_LEVEL ?? "silent"),
    stalledHeadNoticeMs: opts.stalledHeadNoticeMs,
    nowMs: opts.nowMs,
  });
  return {
    follower,
    store,
    dir,
    async sync(maxSteps = 10_000) {
      for (let i = 0; i < maxSteps; i++) if ((await follower.step()) === "caught-up") return;
      throw new Error(`not caught up after ${maxSteps} steps`);
    },
    async close() {
      await rpc.close();
      await store.close();
      if (opts.dir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}
