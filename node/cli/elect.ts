import { Command } from "commander";
import { candidateStandings, elect, type CandidateStanding, type ElectionResult } from "../election";
import { applyEvents, emptyRegistryState, type RegistryState } from "../registry";
import { fetchHeaders } from "../l1/headers";
import type { L1Header } from "../types/l1";
import { BadInputError } from "./badInput";
import { type FollowerContext, openFollowerContext } from "./followerContext";
import { addNodeOptions, configFromFlags } from "./nodeOptions";

interface ElectFlags extends Record<string, string | boolean | undefined> {
  at?: string;
  k?: string;
  json?: boolean;
  sync: boolean;
}

/** What `elect` reports: the election as of one confirmed L1 block. */
export interface ElectionReport {
  readonly block: L1Header;
  readonly result: ElectionResult;
  readonly candidates: CandidateStanding[];
}

/**
 * `repchain elect`: the election as it would be held at a confirmed L1 block (default: the
 * confirmed head), with that block's timestamp as the snapshot time and K by the registry's K rule
 * at that block unless --k is given. Votes are token units (printed as decimal strings in --json). It first brings the database up to the
 * L1 head (unless --no-sync), so it cannot run beside a `follow` on the same data directory.
 */
export function electCommand(): Command {
  return addNodeOptions(new Command("elect"))
    .description("print the candidates, their votes and the elected representatives at an L1 block")
    .option("--at <block>", "confirmed L1 block number (default: the confirmed head)")
    .option("--k <n>", "number of representatives (default: the registry's K rule at that block)")
    .option("--json", "print JSON on stdout")
    .option("--no-sync", "use the database as it is, without following L1 first")
    .action(async (flags: ElectFlags) => {
      const at = parseWhole(flags.at, "--at");
      const k = parseWhole(flags.k, "--k");
      const { at: _at, k: _k, json: _json, sync: _sync, ...nodeFlags } = flags;
      const ctx = await openFollowerContext(configFromFlags(nodeFlags as Record<string, string>), "elect");
      try {
        if (flags.sync) await syncToHead(ctx);
        const report = await electAt(ctx, at, k);
        process.stdout.write(flags.json ? `${toJson(report)}\n` : formatReport(report));
      } finally {
        await ctx.close();
      }
    });
}

/** Follows L1 until the follower has seen the head (retrying RPC trouble, stoppable with Ctrl-C). */
async function syncToHead(ctx: FollowerContext): Promise<void> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  try {
    await ctx.follower.run(controller.signal, { untilCaughtUp: true });
  } finally {
    process.off("SIGINT", stop);
  }
  if (controller.signal.aborted) throw new Error("interrupted while following L1");
}

async function electAt(ctx: FollowerContext, at: number | undefined, k: number | undefined): Promise<ElectionReport> {
  await ctx.follower.load();
  const head = ctx.follower.confirmed.head;
  if (head === undefined) throw new BadInputError("no confirmed L1 block yet: run `repchain follow` first");
  const number = at ?? head.number;
  if (number > head.number)
    throw new BadInputError(`--at ${number} is not confirmed yet (confirmed head ${head.number})`);
  if (number < ctx.deployment.deploymentBlock - 1) {
    throw new BadInputError(`--at ${number} is before the deployment block ${ctx.deployment.deploymentBlock}`);
  }
  const state: RegistryState = number === head.number ? ctx.follower.confirmed.state : await replayTo(ctx, number);
  const block = (await ctx.store.headers.get(number)) ?? (await canonicalHeader(ctx, number));
  const snapshotTime = BigInt(block.timestamp);
  return { block, result: elect(state, snapshotTime, k), candidates: candidateStandings(state, snapshotTime) };
}

async function replayTo(ctx: FollowerContext, number: number): Promise<RegistryState> {
  const state = emptyRegistryState();
  applyEvents(state, await ctx.follower.eventsInRange(-1, number));
  return state;
}

/** A confirmed block the store did not keep (no events, not a range end): ask L1 for its header. */
async function canonicalHeader(ctx: FollowerContext, number: number): Promise<L1Header> {
  const header = (await fetchHeaders(ctx.rpc, [number])).get(number);
  if (!header) throw new BadInputError(`L1 has no block ${number}`);
  return header;
}

function parseWhole(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new BadInputError(`${flag} must be a whole number, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

export function toJson(report: ElectionReport): string {
  return JSON.stringify(report, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);
}

export function formatReport({ block, result, candidates }: ElectionReport): string {
  const when = new Date(block.timestamp * 1000).toISOString();
  const lines = [
    `L1 block ${block.number} ${block.hash} (${when})`,
    `K = ${result.k}, eligible ${result.eligibleCount}, elected ${result.representatives.length}` +
      (result.shortfall > 0n ? `, ${result.shortfall} seat(s) empty` : ""),
    "",
    `candidates (${candidates.length}):`,
    ...candidates.map(
      (c) =>
        `  ${c.address}  ${String(c.votes).padStart(24)} votes  ${c.status}${c.slashed ? " (slashed)" : ""}` +
        (c.eligible ? "" : " (not eligible)") +
        (c.signingKey === c.address ? "" : `  key ${c.signingKey}`),
    ),
    "",
    "representatives:",
    ...result.representatives.map(
      (r, i) =>
        `  ${String(i + 1).padStart(3)}. ${r.address}  ${r.votes} votes` +
        (r.signingKey === r.address ? "" : `  key ${r.signingKey}`),
    ),
  ];
  return `${lines.join("\n")}\n`;
}
