import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** The role a node plays in the current epoch (the `repchain_role` gauge's value). */
export enum RoleCode {
  Ordinary = 0,
  Candidate = 1,
  Representative = 2,
}

/**
 * Every Prometheus metric a repchain node exposes at /metrics, created once per node on its own
 * registry (so several nodes in one process, as in tests, never share counters).
 */
export function createNodeMetrics(registry: Registry = new Registry()) {
  const registers = [registry];
  // prom-client's own names already start with process_ or nodejs_: the prefix adds only repchain_.
  collectDefaultMetrics({ register: registry, prefix: "repchain_" });
  return {
    registry,
    height: new Gauge({ name: "repchain_height", help: "Height of the newest finalized block", registers }),
    epoch: new Gauge({ name: "repchain_epoch", help: "Epoch of the newest finalized block", registers }),
    role: new Gauge({ name: "repchain_role", help: "0 ordinary, 1 candidate, 2 representative", registers }),
    finalityLatency: new Histogram({
      name: "repchain_finality_latency_seconds",
      help: "From a block's proposal to its commit certificate, as this node saw it",
      buckets: [0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10],
      registers,
    }),
    blocksVerified: new Counter({
      name: "repchain_blocks_verified_total",
      help: "Blocks verified and stored",
      registers,
    }),
    blocksRejected: new Counter({
      name: "repchain_blocks_rejected_total",
      help: "Blocks that failed verification",
      registers,
    }),
    powHashRate: new Gauge({
      name: "repchain_pow_hashes_per_second",
      help: "Hash rate of the last PoW search",
      registers,
    }),
    l1Block: new Gauge({
      name: "repchain_l1_confirmed_block",
      help: "Newest confirmed L1 block the follower holds",
      registers,
    }),
    l1Lag: new Gauge({
      name: "repchain_l1_follower_lag_blocks",
      help: "L1 head minus the follower's cursor",
      registers,
    }),
    l1Halted: new Gauge({
      name: "repchain_l1_halted",
      help: "1 once L1 reorganised below the confirmed head and the node stopped importing (repchain_status.l1Halt)",
      registers,
    }),
    peers: new Gauge({ name: "repchain_peers", help: "Connected P2P peers", registers }),
    mempoolSize: new Gauge({
      name: "repchain_mempool_transactions",
      help: "Transactions waiting in the mempool",
      registers,
    }),
  };
}

export type NodeMetrics = ReturnType<typeof createNodeMetrics>;
