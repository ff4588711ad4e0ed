import { loadavg } from "node:os";

/**
 * One measured figure of a benchmark, printed as a single JSON line after the benchmark's own
 * human-readable output, so that `npm run bench` (scripts/bench/all.ts) can collect every figure
 * into one table. A figure is either something the project aims at (`aim`) or a limit of this
 * machine measured in the same run (`limit: true`), against which the aims that are ratios are read.
 */
export interface Figure {
  /** Stable key, e.g. "verify.blocks50tx"; a ratio aim names the limit's key. */
  readonly key: string;
  /** What was measured, as the table shows it. */
  readonly what: string;
  readonly value: number;
  readonly unit: string;
  /** The aim in words (e.g. "≥ 250"), or "limit" for a limit. */
  readonly aim: string;
  /** Whether the aim is met: true, false, or null where it is read against a limit by the reader. */
  readonly met: boolean | null;
  /** The key of the limit this figure is read against (a ratio is printed beside it). */
  readonly against?: string;
  readonly limit?: boolean;
  /** The 1-minute load average when the figure was taken. */
  readonly load: number;
}

/** The prefix of a figure line: all.ts reads every line that starts with it. */
export const FIGURE_PREFIX = "BENCH_FIGURE ";

export function reportFigure(figure: Omit<Figure, "load">): void {
  const line: Figure = { ...figure, load: Number(loadavg()[0].toFixed(2)) };
  console.log(FIGURE_PREFIX + JSON.stringify(line));
}

/** A limit of this machine measured in the same run (native recover, keccak, raw eth_getLogs). */
export function reportLimit(key: string, what: string, value: number, unit: string): void {
  reportFigure({ key, what, value, unit, aim: "limit", met: null, limit: true });
}
