import { Command } from "commander";
import { simulate, type SimOptions, type SimResult } from "../node/sim/simulator";

/**
 * `npm run sim -- --seed S` replays one run; `npm run sim -- --seeds N [--from F]` runs seeds
 * F..F+N-1 and stops at the first violation, printing the seed that replays it.
 */
function describe(r: SimResult): string {
  return (
    `seed ${r.seed}: ${r.violation ? `VIOLATION ${r.violation.message}` : "ok"} — ${r.nodes} nodes, ` +
    `finalized ${r.highestFinalized} (at GST ${r.heightAtGst}), heights [${r.heights.join(",")}], ` +
    `${r.epochSets} distinct epoch sets, ${r.transactions} transactions, ${r.steps} steps, ${r.messages} messages, ${r.simTimeMs} ms simulated; ` +
    `sync: ${r.sync.importedBlocks} blocks imported, penalties ${r.sync.honestPenalties} honest / ${r.sync.liarPenalties} liar`
  );
}

function main(argv: string[]): void {
  const program = new Command("sim")
    .option("--seed <n>", "replay one seed", (v) => Number.parseInt(v, 10))
    .option("--seeds <n>", "run this many seeds", (v) => Number.parseInt(v, 10))
    .option("--from <n>", "first seed of --seeds", (v) => Number.parseInt(v, 10), 1)
    .option("--chaos-ms <n>", "simulated time of faults before GST", (v) => Number.parseInt(v, 10))
    .option("--calm-ms <n>", "simulated time after GST", (v) => Number.parseInt(v, 10))
    .option(
      "--unsafe-disable-locking",
      "fault injection: Tendermint without locks (rarely caught: see docs/consensus.md)",
    )
    .option("--unsafe-weak-quorum", "fault injection: act on f+1 votes instead of 2f+1 (must be caught)")
    .option("--forget-sign-state", "fault injection: restarts lose the sign state (must be caught)")
    .option(
      "--liar <kind>",
      "a lying sync peer: high (claims 2^53 − 1), next (claims head + 1) or forged (serves forged certificates)",
    )
    .parse(argv);
  const o = program.opts<{
    seed?: number;
    seeds?: number;
    from: number;
    chaosMs?: number;
    calmMs?: number;
    unsafeDisableLocking?: boolean;
    unsafeWeakQuorum?: boolean;
    forgetSignState?: boolean;
    liar?: string;
  }>();
  if (o.liar !== undefined && !["high", "next", "forged"].includes(o.liar))
    throw new Error(`--liar: given ${o.liar}, expected high, next or forged`);
  const base: Omit<SimOptions, "seed"> = {
    chaosMs: o.chaosMs,
    calmMs: o.calmMs,
    faults: { disableLocking: o.unsafeDisableLocking, weakQuorum: o.unsafeWeakQuorum },
    forgetSignStateOnRestart: o.forgetSignState,
    lyingSyncPeer: o.liar as SimOptions["lyingSyncPeer"],
  };
  if (o.seed !== undefined) {
    const r = simulate({ ...base, seed: o.seed });
    console.log(describe(r));
    process.exit(r.violation ? 1 : 0);
  }
  const count = o.seeds ?? 100;
  const started = Date.now();
  let finalized = 0;
  for (let seed = o.from; seed < o.from + count; seed++) {
    const r = simulate({ ...base, seed });
    finalized += r.highestFinalized;
    if (r.violation) {
      console.log(describe(r));
      console.log(`replay: npm run sim -- --seed ${seed}`);
      process.exit(1);
    }
    if ((seed - o.from + 1) % 100 === 0) console.log(`${seed - o.from + 1}/${count} seeds ok`);
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `${count} seeds ok in ${seconds.toFixed(1)} s (${(count / seconds).toFixed(1)} seeds/s, ${finalized} blocks finalized)`,
  );
}

main(process.argv);
