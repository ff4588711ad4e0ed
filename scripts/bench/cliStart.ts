/**
 * `npm run bench:cli`: how long the built `repchain --help` takes, start to exit, as a user types
 * it (median of 5 runs; the aim is ≤ 300 ms), and the CPU time it spends (which, unlike the wall
 * time, does not grow with the machine's load). Needs the build (`npm ci` or `npm run build`).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { reportFigure } from "./figure";

/** The built command (package.json `bin`). */
export const BUILT_REPCHAIN = join(__dirname, "../../dist/node/cli/repchain.js");

/** Preloaded into each run: prints the process' whole CPU time (getrusage) on stderr at exit. */
const CPU_REPORTER = `process.on("exit", () => { const u = process.cpuUsage(); process.stderr.write("cpu-us " + (u.user + u.system)); });`;

export interface StartFigures {
  /** Milliseconds from spawn to exit, per run. */
  readonly wall: number[];
  /** CPU milliseconds (user + system) per run. */
  readonly cpu: number[];
}

/** Runs `node <bin> ...args` `runs` times. */
export function measureStart(args: readonly string[], runs = 5): StartFigures {
  const dir = mkdtempSync(join(tmpdir(), "repchain-bench-cli-"));
  const reporter = join(dir, "cpu.js");
  writeFileSync(reporter, CPU_REPORTER);
  const wall: number[] = [];
  const cpu: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const start = process.hrtime.bigint();
      const run = spawnSync(process.execPath, ["--require", reporter, BUILT_REPCHAIN, ...args], { encoding: "utf8" });
      wall.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (run.status !== 0) throw new Error(`repchain ${args.join(" ")} exited ${run.status}: ${run.stderr}`);
      cpu.push(Number(/cpu-us (\d+)/.exec(run.stderr)![1]) / 1000);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { wall, cpu };
}

export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

if (require.main === module) {
  const { wall, cpu } = measureStart(["--help"]);
  const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(", ");
  console.log(`repchain --help: median ${median(wall).toFixed(0)} ms wall (${list(wall)} ms)`);
  console.log(`                 median ${median(cpu).toFixed(0)} ms CPU (${list(cpu)} ms)`);
  const ms = median(wall);
  reportFigure({
    key: "cli.help",
    what: "repchain --help, median wall",
    value: ms,
    unit: "ms",
    aim: "≤ 300",
    met: ms <= 300,
  });
}
