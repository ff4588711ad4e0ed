import { expect } from "chai";
import { RoleCode, createNodeMetrics } from "../../node/rpc/nodeMetrics";

describe("node metrics", () => {
  it("exposes every node metric in the Prometheus text format", async () => {
    const m = createNodeMetrics();
    m.height.set(42);
    m.role.set(RoleCode.Representative);
    m.finalityLatency.observe(0.3);
    m.blocksVerified.inc(3);
    const text = await m.registry.metrics();
    expect(text).to.match(/^repchain_height 42$/m);
    expect(text).to.match(/^repchain_role 2$/m);
    expect(text).to.match(/^repchain_blocks_verified_total 3$/m);
    expect(text).to.match(/^repchain_finality_latency_seconds_bucket\{le="0.35"\} 1$/m);
    for (const name of [
      "repchain_epoch",
      "repchain_pow_hashes_per_second",
      "repchain_l1_follower_lag_blocks",
      "repchain_peers",
      "repchain_mempool_transactions",
    ]) {
      expect(text).to.include(`# TYPE ${name} `);
    }
  });

  it("names the process metrics repchain_process_* and repchain_nodejs_*, without a doubled prefix", async () => {
    const text = await createNodeMetrics().registry.metrics();
    expect(text).to.include("# TYPE repchain_process_cpu_seconds_total ");
    expect(text).to.include("# TYPE repchain_nodejs_heap_size_used_bytes ");
    expect(text).not.to.include("process_process");
    const names = [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]);
    expect(names.filter((name) => !name.startsWith("repchain_"))).to.deep.equal([]);
  });

  it("keeps two nodes' metrics apart", async () => {
    const a = createNodeMetrics();
    const b = createNodeMetrics();
    a.height.set(1);
    b.height.set(2);
    expect(await a.registry.metrics()).to.match(/^repchain_height 1$/m);
    expect(await b.registry.metrics()).to.match(/^repchain_height 2$/m);
  });
});
