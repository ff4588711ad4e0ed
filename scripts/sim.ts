import { Command } from "commander";
import { ADVERSARIES, SHORT_RUN, liarFor } from "../node/sim/campaign";
import { simulate, type SimOptions, type SimResult } from "../node/sim/simulator";

/**
 * `npm run sim -- --seed S` replays one run; `npm run sim -- --seeds N [--from F]` runs seeds
 * F..F+N-1 (a campaign: progress every 1 % or 100 seeds) and stops at the first violation,
 * printing the seed and the exact command that replays it. Every adversary is on by default
 * (node/sim/campaign.ts); `--honest` runs without them.
 */
function describe(r: SimResult): string {
  const b = r.byzantine;
  return (
    `seed ${r.seed}: ${r.violation ? `VIOLATION ${r.violation.message}` : "ok"} — ${r.nodes} nodes, ` +
    `finalized ${r.highestFinalized} (at GST ${r.heightAtGst}), heights [${r.heights.join(",")}], ` +
    `${r.epochSets} distinct epoch sets, ${r.transactions} transactions, ${r.steps} steps, ${r.messages} messages, ${r.simTimeMs} ms simulated; ` +
    `sync: ${r.sync.importedBlocks} blocks imported, penalties ${r.sync.honestPenalties} honest / ${r.sync.liarPenalties} liar; ` +
    (b === null
      ? "no Byzantine node; "
      : `Byzantine node ${b.node}: ${b.twinProposals} twin proposals, ${b.conflictingVotes} conflicting votes, ` +
        `${b.fakeValidRounds} fake validRounds, ${b.overBudget} over-budget blocks, ${b.overWire} over-wire messages (${b.wireRefused} refused), ${b.replayed} replays; `) +
    `honest nodes handed ${r.equivocations.votes} conflicting votes (${r.equivocations.reports} reports) and ${r.equivocations.proposals} conflicting proposals; ` +
    `L1: ${r.l1.reorgedBlocks} blocks reorged, deepest ${r.l1.deepestReorg}, confirmations ${r.l1.confirmations}; ` +
    `clock skews [${r.clockSkewsMs.join(",")}] ms`
  );
}

/** The command line with `--seeds N` / `--from F` replaced by `--seed S`: replays exactly that run. */
function replayCommand(argv: readonly string[], seed: number): string {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--seeds" || argv[i] === "--from") i++;
    else if (!argv[i].startsWith("--seeds=") && !argv[i].startsWith("--from=")) kept.push(argv[i]);
  }
  return `npm run sim -- --seed ${seed}${kept.length > 0 ? ` ${kept.join(" ")}` : ""}`;
}

function main(argv: string[]): void {
  const program = new Command("sim")
    .option("--seed <n>", "replay one seed", (v) => Number.parseInt(v, 10))
    .option("--seeds <n>", "run this many seeds", (v) => Number.parseInt(v, 10))
    .option("--from <n>", "first seed of --seeds", (v) => Number.parseInt(v, 10), 1)
    .option("--short", "CI's short runs: 1.2 s of chaos, 4.5 s calm, liveness window 4 s")
    .option("--chaos-ms <n>", "simulated time of faults before GST", (v) => Number.parseInt(v, 10))
    .option("--calm-ms <n>", "simulated time after GST", (v) => Number.parseInt(v, 10))
    .option("--honest", "no Byzantine node, no L1 reorgs, no clock skew, no lying sync peer")
    .option(
      "--liar <kind>",
      "the lying sync peer: high (claims 2^53 − 1), next (claims head + 1) or forged (serves forged certificates); default: each in turn",
    )
    .option(
      "--l1-reorgs <depth>",
      "within (default: never deeper than the confirmations) or beyond (one deeper: must be caught)",
    )
    .option(
      "--unsafe-disable-locking",
      "fault injection: Tendermint without locks (rarely caught: see docs/consensus.md)",
    )
    .option("--unsafe-weak-quorum", "fault injection: act on f+1 votes instead of 2f+1 (must be caught)")
    .option("--forget-sign-state", "fault injection: restarts lose the sign state (must be caught)")
    .parse(argv);
  const o = program.opts<{
    seed?: number;
    seeds?: number;
    from: number;
    short?: boolean;
    chaosMs?: number;
    calmMs?: number;
    honest?: boolean;
    liar?: string;
    l1Reorgs?: string;
    unsafeDisableLocking?: boolean;
    unsafeWeakQuorum?: boolean;
    forgetSignState?: boolean;
  }>();
  if (o.liar !== undefined && !["high", "next", "forged"].includes(o.liar))
    throw new Error(`--liar: given ${o.liar}, expected high, next or forged`);
  if (o.l1Reorgs !== undefined && !["within", "beyond"].includes(o.l1Reorgs))
    throw new Error(`--l1-reorgs: given ${o.l1Reorgs}, expected within or beyond`);
  const options = (seed: number): SimOptions => ({
    ...(o.short ? SHORT_RUN : {}),
    ...(o.honest ? {} : { ...ADVERSARIES, lyingSyncPeer: liarFor(seed) }),
    ...(o.chaosMs !== undefined ? { chaosMs: o.chaosMs } : {}),
    ...(o.calmMs !== undefined ? { calmMs: o.calmMs } : {}),
    ...(o.liar !== undefined ? { lyingSyncPeer: o.liar as SimOptions["lyingSyncPeer"] } : {}),
    ...(o.l1Reorgs !== undefined ? { l1Reorgs: o.l1Reorgs as SimOptions["l1Reorgs"] } : {}),
    faults: { disableLocking: o.unsafeDisableLocking, weakQuorum: o.unsafeWeakQuorum },
    forgetSignStateOnRestart: o.forgetSignState,
    seed,
  });
  if (o.seed !== undefined) {
    const r = simulate(options(o.seed));
    console.log(describe(r));
    process.exit(r.violation ? 1 : 0);
  }
  campaign(o.from, o.seeds ?? 100, options, argv.slice(2));
}

function campaign(from: number, count: number, options: (seed: number) => SimOptions, args: string[]): void {
  const started = Date.now(); // progress figures only: every run is simulated time
  const every = Math.max(100, Math.floor(count / 100));
  let finalized = 0;
  for (let seed = from; seed < from + count; seed++) {
    const r = simulate(options(seed));
    finalized += r.highestFinalized;
    if (r.violation) {
      console.log(describe(r));
      console.log(`replay: ${replayCommand(args, seed)}`);
      process.exit(1);
    }
    const done = seed - from + 1;
    if (done % every === 0 && done < count) {
      const perSecond = done / ((Date.now() - started) / 1000);
      const etaMin = (count - done) / perSecond / 60;
      console.log(`${done}/${count} seeds ok (${perSecond.toFixed(1)} seeds/s, ${etaMin.toFixed(1)} min to go)`);
    }
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `${count} seeds ok (${from}..${from + count - 1}) in ${seconds.toFixed(1)} s (${(count / seconds).toFixed(1)} seeds/s, ${finalized} blocks finalized)`,
  );
}

main(process.argv);
