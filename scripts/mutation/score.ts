/**
 * The mutation score from the campaign's result files: per contract and overall,
 * killed / (total − stillborn − equivalent), where equivalent counts both the mutants whose bytecode is the
 * original's and those argued equivalent in equivalent.json (id → the argument, also in docs/contracts.md).
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { createHash } from "node:crypto";

export type MutantStatus = "killed" | "live" | "stillborn" | "equivalent" | "unexercised";

export interface MutantResult {
  id: string;
  file: string;
  line: number;
  operator: string;
  original: string;
  replace: string;
  /** sha256 (16 hex digits) of the contract's source the mutant was made from. */
  sourceSha: string;
  status: MutantStatus;
  /** The first failing test (killed) or the compiler's first error line (stillborn). */
  killedBy?: string;
  seconds: number;
}

/** The mutants argued equivalent by hand: id → why no test can tell them from the original. */
export function arguedEquivalent(root: string): Record<string, string> {
  return JSON.parse(readFileSync(join(root, "scripts/mutation/equivalent.json"), "utf8")) as Record<string, string>;
}

/** What a result was made from: sha256 of the contract's source text, 16 hex digits. */
export const sourceSha = (source: string) => createHash("sha256").update(source).digest("hex").slice(0, 16);

/** The latest result of each mutant of `file`, for its current text (results of older texts say nothing). */
export function latestResults(file: string, resultsDir: string): MutantResult[] {
  const path = join(resultsDir, `${basename(file)}.jsonl`);
  if (!existsSync(path)) return [];
  const current = sourceSha(readFileSync(file, "utf8"));
  const latest = new Map<string, MutantResult>();
  for (const line of readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l !== "")) {
    const result = JSON.parse(line) as MutantResult;
    if (result.sourceSha === current) latest.set(result.id, result);
  }
  return [...latest.values()];
}

/** A markdown table of the score per contract file and overall, and the live mutants. */
export function scoreTable(root: string, files: string[], resultsDir: string, generated: Map<string, number>): string {
  const argued = arguedEquivalent(root);
  const rows: string[] = [];
  const live: string[] = [];
  const total = { mutants: 0, run: 0, killed: 0, stillborn: 0, equivalent: 0, argued: 0 };
  for (const file of files) {
    const results = latestResults(file, resultsDir);
    const count = (status: MutantStatus) => results.filter((r) => r.status === status && !(r.id in argued)).length;
    const row = {
      mutants: generated.get(file) ?? results.length,
      run: results.length,
      killed: count("killed"),
      stillborn: count("stillborn"),
      equivalent: count("equivalent"),
      argued: results.filter((r) => r.id in argued && r.status !== "killed").length,
    };
    for (const r of results.filter((r) => (r.status === "live" || r.status === "unexercised") && !(r.id in argued))) {
      live.push(
        `- ${r.id} ${r.file}:${r.line} ${r.operator} \`${r.original.trim()}\` → \`${r.replace.trim()}\` (${r.status})`,
      );
    }
    for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += row[key];
    rows.push(tableRow(relative(root, file), row));
  }
  return [
    "| contract | mutants | run | killed | stillborn | equivalent (same bytecode) | equivalent (argued) | score |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
    tableRow("**all**", total),
    "",
    "score = killed / (run − stillborn − equivalent)",
    ...(live.length > 0 ? ["", "Live:", ...live] : []),
    "",
  ].join("\n");
}

function tableRow(
  name: string,
  r: { mutants: number; run: number; killed: number; stillborn: number; equivalent: number; argued: number },
): string {
  const valid = r.run - r.stillborn - r.equivalent - r.argued;
  const score = valid === 0 ? "–" : `${((100 * r.killed) / valid).toFixed(1)} %`;
  return `| ${name} | ${r.mutants} | ${r.run} | ${r.killed} | ${r.stillborn} | ${r.equivalent} | ${r.argued} | ${score} |`;
}
