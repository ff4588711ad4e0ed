/**
 * `npm run bench:cli`: how long the built `repchain --help` takes, start to exit, as a user types
 * it (median of 5 runs; the aim is ≤ 300 ms). Needs the build (`npm ci` or `npm run build`).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

/** The built command (package.json `bin`). */
export const BUILT_REPCHAIN = join(__dirname, "../../dist/node/cli/repchain.js");

/** Wall-clock milliseconds of `runs` runs of `node <bin> ...args`, and their median. */
export function measureStart(args: readonly string[], runs = 5): { samples: number[]; median: number } {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, [BUILT_REPCHAIN, ...args], { stdio: "ignore" });
    if (run.status !== 0) throw new Error(`repchain ${args.join(" ")} exited ${run.status}`);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { samples, median: sorted[Math.floor(sorted.length / 2)] };
}

if (require.main === module) {
  const { samples, median } = measureStart(["--help"]);
  console.log(`repchain --help: median ${median.toFixed(0)} ms of ${samples.map((s) => s.toFixed(0)).join(", ")} ms`);
}
