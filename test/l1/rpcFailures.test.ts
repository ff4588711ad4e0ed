import { expect } from "chai";
import hre from "hardhat";
import { L1Error, L1ErrorCode } from "../../node/l1/errors";
import { StoreError, StoreErrorCode } from "../../node/store/errors";
import type { RegistryEvent } from "../../node/registry/events";
import { startDevnet, type Devnet } from "../../node/testing/hardhatServer";
import { openFollower, type TestFollower } from "../helpers/follower";
import { memoryLogger } from "../helpers/memoryLogger";
import { rejectionOf } from "../helpers/rejects";
import { type ProxiedCall, type ProxyRule, startRpcProxy, type RpcProxy } from "../helpers/rpcProxy";
import {
  candidateAddresses,
  deployRegistries,
  registerCandidates,
  type Registries,
} from "../../node/testing/registries";
import { waitFor } from "../../node/testing/processCluster";

type Log = Record<string, unknown>;

describe("L1Follower against a misbehaving RPC", function () {
  const candidates = candidateAddresses(4, "rpc");
  let devnet: Devnet;
  let proxy: RpcProxy;
  let r: Registries;

  async function mineVotes(voterFrom: number, count: number): Promise<void> {
    const signers = await hre.ethers.getSigners();
    for (let i = 0; i < count; i++) {
      const voter = signers[voterFrom + Math.floor(i / candidates.length)];
      await (await r.votes.connect(voter).vote([candidates[i % candidates.length]], [])).wait();
    }
  }

  async function allEvents(f: TestFollower): Promise<RegistryEvent[]> {
    return f.store.events.inBlockRange(-1, Number.MAX_SAFE_INTEGER);
  }

  /** What a follower on a well-behaved endpoint stores now (each test compares with it, in any order). */
  async function referenceEvents(): Promise<RegistryEvent[]> {
    const f = await openFollower(devnet.url, r.deployment);
    await f.sync();
    const events = await allEvents(f);
    await f.close();
    return events;
  }

  /** Runs the follower until its cursor reaches the L1 head, then stops it. */
  async function runToHead(f: TestFollower, timeoutMs = 20_000): Promise<void> {
    const controller = new AbortController();
    const running = f.follower.run(controller.signal);
    const deadline = Date.now() + timeoutMs;
    try {
      for (;;) {
        const head = await hre.ethers.provider.getBlockNumber();
        if (f.follower.progress.cursor?.number === head) break;
        if (Date.now() > deadline) throw new Error(`not at head ${head} after ${timeoutMs} ms`);
        await Promise.race([running, new Promise((resolve) => setTimeout(resolve, 20))]);
      }
    } finally {
      controller.abort();
      await running;
    }
  }

  before(async function () {
    devnet = await startDevnet();
    proxy = await startRpcProxy(devnet.url);
    r = await deployRegistries();
    await registerCandidates(r, candidates);
    await mineVotes(1, 40);
  });

  afterEach(function () {
    proxy.rule = () => ({ action: "forward" });
  });

  after(async function () {
    await proxy.close();
    await devnet.stop();
  });

  it("keeps running while the RPC is down and catches up when it comes back", async function () {
    const { logger, lines } = memoryLogger();
    const f = await openFollower(devnet.url, r.deployment, { logger, backoffMs: { initial: 20, max: 80 } });
    try {
      await runToHead(f);
      const controller = new AbortController();
      const running = f.follower.run(controller.signal);
      await devnet.stop();
      await mineVotes(11, 4);
      await waitFor("the follower to find the RPC unreachable", 10_000, async () =>
        lines.some((l) => l.code === L1ErrorCode.RPC_UNREACHABLE),
      );
      await devnet.restart();
      const head = await hre.ethers.provider.getBlockNumber();
      await waitFor(
        "the follower back at the L1 head",
        10_000,
        async () => f.follower.progress.cursor?.number === head,
      );
      controller.abort();
      await running;
      expect(f.follower.progress.cursor?.number).to.equal(head);
      expect(lines.some((l) => l.msg === "L1 RPC recovered")).to.equal(true);
      expect(await allEvents(f)).to.deep.equal(await referenceEvents());
    } finally {
      await devnet.restart();
      await f.close();
    }
  });

  it("refuses a provider on another chain, writing nothing", async function () {
    proxy.rule = (calls) => ({
      action: "forward",
      rewrite: (body) => (calls[0].method === "eth_chainId" ? { ...(body as object), result: "0x1" } : body),
    });
    const f = await openFollower(proxy.url, r.deployment);
    try {
      const err = await rejectionOf(f.follower.run(new AbortController().signal));
      expect(err).to.be.instanceOf(L1Error);
      expect((err as L1Error).type).to.deep.include({ code: L1ErrorCode.WRONG_CHAIN, expected: 31337, actual: 1 });
      expect(await f.store.cursor.get()).to.equal(undefined);
    } finally {
      await f.close();
    }
  });

  it("retries garbage answers and undecodable logs, never skipping a range", async function () {
    const faults: ((calls: ProxiedCall[]) => ReturnType<ProxyRule>)[] = [
      () => ({ action: "respond", status: 200, body: "<html>bad gateway</html>" }),
      () => ({ action: "respond", status: 429, body: "{}" }),
      () => ({ action: "reset" }),
      () => ({ action: "forward", rewrite: (b) => ({ ...(b as object), result: "not an array" }) }),
      () => ({ action: "forward", rewrite: rewriteFirstLog((log) => ({ ...log, topics: [`0x${"ab".repeat(32)}`] })) }),
      () => ({ action: "forward", rewrite: rewriteFirstLog((log) => ({ ...log, address: `0x${"12".repeat(20)}` })) }),
      () => ({ action: "forward", rewrite: rewriteFirstLog((log) => ({ ...log, data: "0x1234" })) }),
      () => ({ action: "forward", rewrite: rewriteFirstLog((log) => ({ ...log, blockHash: `0x${"cd".repeat(32)}` })) }),
    ];
    proxy.rule = (calls) => {
      if (calls[0].method === "eth_getLogs" && faults.length > 0) return faults.shift()!(calls);
      return { action: "forward" };
    };
    const { logger, lines } = memoryLogger();
    const f = await openFollower(proxy.url, r.deployment, { logger });
    try {
      await runToHead(f);
      expect(faults).to.have.length(0);
      expect(await allEvents(f)).to.deep.equal(await referenceEvents());
      const codes = new Set(lines.map((l) => l.code));
      for (const code of [
        L1ErrorCode.RPC_BAD_RESPONSE,
        L1ErrorCode.RPC_HTTP_STATUS,
        L1ErrorCode.RPC_UNREACHABLE,
        L1ErrorCode.RANGE_CHANGED,
      ]) {
        expect(codes.has(code), code).to.equal(true);
      }
      await f.store.checkConsistency();
    } finally {
      await f.close();
    }
  });

  it("shrinks the range the endpoint refuses and grows it back", async function () {
    const LIMIT = 4;
    let refused = 0;
    proxy.rule = (calls) => {
      const [filter] = calls[0].params as { fromBlock: string; toBlock: string }[];
      if (calls[0].method === "eth_getLogs" && Number(filter.toBlock) - Number(filter.fromBlock) + 1 > LIMIT) {
        refused++;
        const error = { code: -32005, message: "query returned more than 10000 results" };
        return { action: "respond", status: 200, body: JSON.stringify({ jsonrpc: "2.0", id: 1, error }) };
      }
      return { action: "forward" };
    };
    proxy.seen.length = 0;
    const f = await openFollower(proxy.url, r.deployment, { maxBlockRange: 64 });
    try {
      await runToHead(f);
      expect(await allEvents(f)).to.deep.equal(await referenceEvents());
      // The first range (the whole chain, < 64 blocks) is refused and halved until it fits; after a
      // run of successes the follower tries a doubled range again (refused again here).
      const ranges = proxy.seen
        .filter((c) => c.method === "eth_getLogs")
        .map((c) => c.params[0] as { fromBlock: string; toBlock: string })
        .map((p) => Number(p.toBlock) - Number(p.fromBlock) + 1);
      const firstFit = ranges.findIndex((n) => n <= LIMIT);
      expect(firstFit).to.be.greaterThan(0);
      for (let i = 1; i <= firstFit; i++) expect(ranges[i]).to.be.lessThan(ranges[i - 1]);
      expect(ranges.slice(firstFit).some((n) => n > LIMIT)).to.equal(true);
      expect(refused).to.equal(ranges.filter((n) => n > LIMIT).length);
    } finally {
      await f.close();
    }
  });

  it("gives up on a request that hangs past the timeout and retries it", async function () {
    let hung = 0;
    proxy.rule = (calls) => {
      if (calls[0].method === "eth_getLogs" && hung < 2) {
        hung++;
        return { action: "forward", delayMs: 5_000 };
      }
      return { action: "forward" };
    };
    const { logger, lines } = memoryLogger();
    const f = await openFollower(proxy.url, r.deployment, { logger, rpcTimeoutMs: 1_000 });
    try {
      await runToHead(f);
      expect(hung).to.equal(2);
      // At least the two hung requests time out; on a loaded machine an ordinary one may too.
      expect(lines.filter((l) => l.code === L1ErrorCode.RPC_TIMEOUT).length).to.be.at.least(2);
      expect(await allEvents(f)).to.deep.equal(await referenceEvents());
    } finally {
      await f.close();
    }
  });

  it("refuses a deployment whose block is not on this chain", async function () {
    const f = await openFollower(devnet.url, r.deployment, {
      identity: { deploymentBlockHash: `0x${"11".repeat(32)}` },
    });
    try {
      const err = await rejectionOf(f.sync());
      expect((err as L1Error).type.code).to.equal(L1ErrorCode.DEPLOYMENT_NOT_FOUND);
    } finally {
      await f.close();
    }
  });

  it("refuses a data directory made for another deployment", async function () {
    const f = await openFollower(devnet.url, r.deployment);
    await f.sync();
    await f.store.close();
    const other = await openFollower(devnet.url, r.deployment, {
      dir: f.dir,
      identity: { voteRegistry: `0x${"22".repeat(20)}` },
    });
    try {
      const err = await rejectionOf(other.sync());
      expect(err).to.be.instanceOf(StoreError);
      expect((err as StoreError).type).to.deep.include({
        code: StoreErrorCode.FOREIGN_DATA_DIR,
        field: "voteRegistry",
      });
    } finally {
      await other.close();
      await f.close().catch(() => undefined);
    }
  });
});

/** Rewrites the first log of an eth_getLogs answer. */
function rewriteFirstLog(change: (log: Log) => Log): (body: unknown) => unknown {
  return (body) => {
    const b = body as { result: Log[] };
    return { ...b, result: [change(b.result[0]), ...b.result.slice(1)] };
  };
}
