/**
 * `npm run bench`: runs every benchmark (each keeps its own script, e.g. `npm run bench:verify`),
 * echoes their output, and ends with one table: each figure, its aim, the limit of this machine
 * measured in the same run where the aim is read against one (raw eth_getLogs, native secp256k1
 * recover, raw keccak), the ratio, and the load average when the figure was taken. The benchmarks
 * report their figures as JSON lines (scripts/bench/figure.ts). Takes several minutes.
 *
 *   BENCH_ONLY=election,verify50   run only these steps (names as in STEPS)
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { createInterface } from "node:readline";
import { BUILT_REPCHAIN } from "./cliStart";
import { FIGURE_PREFIX, type Figure } from "./figure";

interface Step {
  readonly name: string;
  readonly script: string;
  readonly env?: Record<string, string>;
  /** Why the step cannot run here, if it cannot (checked before it starts). */
  readonly missing?: () => string | null;
}

const STEPS: readonly Step[] = [
  { name: "gas", script: "bench:gas" },
  { name: "election", script: "bench:election" },
  { name: "ingest", script: "bench:ingest" },
  { name: "auditor", script: "bench:auditor" },
  { name: "pow", script: "bench:pow" },
  { name: "verify", script: "bench:verify" },
  { name: "verify50", script: "bench:verify", env: { BLOCKS: "200", TXS: "50" } },
  { name: "chain", script: "bench:chain" },
  {
    name: "cli",
    script: "bench:cli",
    missing: () => (existsSync(BUILT_REPCHAIN) ? null : "needs the build (npm run build)"),
  },
];

interface Collected extends Figure {
  readonly step: string;
}

/** Runs one benchmark, echoing its output and collecting its figure lines; resolves with its exit code. */
function run(step: Step, figures: Collected[]): Promise<number> {
  console.log(`\n=== ${step.name}: npm run ${step.script} ${JSON.stringify(step.env ?? {})} (load ${load()})`);
  const child = spawn("npm", ["run", "--silent", step.script], {
    env: { ...process.env, ...step.env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  createInterface({ input: child.stdout }).on("line", (line) => {
    if (line.startsWith(FIGURE_PREFIX))
      figures.push({ ...(JSON.parse(line.slice(FIGURE_PREFIX.length)) as Figure), step: step.name });
    else console.log(line);
  });
  return new Promise((resolve) => child.on("close", (code) => resolve(code ?? 1)));
}

function load(): string {
  return loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
}

function number(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString("en") : value.toPrecision(3);
}

/** The summary as a Markdown table, ready to paste into docs/performance.md. */
function table(figures: readonly Collected[]): string[] {
  const limits = new Map(figures.filter((f) => f.limit === true).map((f) => [f.key, f]));
  const rows = figures.map((f) => {
    const limit = f.against === undefined ? undefined : limits.get(f.against);
    const met = f.met === null ? "" : f.met ? "yes" : "**no**";
    return [
      f.step,
      f.what,
      `${number(f.value)} ${f.unit}`,
      f.aim,
      met,
      limit === undefined ? "" : `${number(limit.value)} ${limit.unit} (${limit.what})`,
      limit === undefined ? "" : `${((f.value / limit.value) * 100).toFixed(0)}%`,
      f.load.toFixed(1),
    ];
  });
  const header = ["bench", "figure", "measured", "aim", "met", "limit, same run", "measured / limit", "load"];
  return [header, header.map(() => "---"), ...rows].map((cells) => `| ${cells.join(" | ")} |`);
}

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(",");
  const steps = only === undefined ? STEPS : STEPS.filter((s) => only.includes(s.name));
  const startedLoad = load();
  const started = new Date();
  const figures: Collected[] = [];
  const failed: string[] = [];
  for (const step of steps) {
    const missing = step.missing?.() ?? null;
    if (missing !== null) failed.push(`${step.name} (${missing})`);
    else if ((await run(step, figures)) !== 0) failed.push(step.name);
  }
  console.log(
    `\n## Benchmarks, ${started.toISOString().slice(0, 16)} UTC: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ` +
      `node ${process.version}; load average (1, 5, 15 min) ${startedLoad} at the start, ${load()} at the end\n`,
  );
  for (const line of table(figures)) console.log(line);
  if (failed.length > 0) {
    console.log(`\nfailed: ${failed.join(", ")}`);
    process.exitCode = 1;
  }
}

void main();
