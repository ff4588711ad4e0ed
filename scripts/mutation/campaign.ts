/**
 * `npm run test:mutation`: SuMo's mutants of contracts/, each compiled and tested in this one process.
 *
 * SuMo itself (`npm run test:mutation:sumo`) runs a full `hardhat compile` (solc-js, every contract, typechain)
 * and a new `hardhat test` process over all the test files per mutant: 30–60 s each here. This runner keeps
 * SuMo's operators, ids and scope (sumo-config.js: SUMO_CONTRACTS / SUMO_TESTS) and changes only how a mutant
 * is run, without checking less:
 *   - it compiles only the mutated file and the files that import it, with the project's own compiler settings;
 *   - a mutant whose code is byte for byte the original's is equivalent (trivial compiler equivalence);
 *   - the test files run are those that deployed the mutated contract in the baseline run (a file that never
 *     deploys a contract cannot see its mutants); the quickest first, stopping at the first failure;
 *   - one long-lived Hardhat process runs them (bytecodeSwap.ts deploys the mutant's code in place of the
 *     artifact's; mochaInProcess.ts gives each run a fresh chain and freshly loaded test modules).
 * Every result is appended to .mutation/<file>.jsonl as it is known, so a stopped campaign loses nothing and
 * the next run continues where it stopped. MUTATION_RERUN=live tests the survivors again (after new tests);
 * MUTATION_IDS=m1,m2 runs only those; MUTATION_REPORT=1 only prints the score. The score excludes the
 * mutants argued equivalent in equivalent.json.
 */
import hre from "hardhat";
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { BytecodeSwapper, type Swap } from "./bytecodeSwap";
import { compileSources } from "./solcCompile";
import { dependents } from "./dependents";
import { runTestFiles } from "./mochaInProcess";
import { sumoMutants, type Mutant } from "./mutants";
import { latestResults, scoreTable, sourceSha, type MutantResult } from "./score";

const root = hre.config.paths.root;
const resultsDir = join(root, ".mutation");
const testTimeoutMs = Number(process.env.MUTATION_TEST_TIMEOUT_MS ?? 60_000);
/**
 * Tests that deploy and check the registries only inside child processes (`hardhat run`, a separate
 * `hardhat node`), which read the artifacts from disk: they can never see a mutant swapped in here, so
 * running them would cost a minute per surviving mutant and check nothing. (remoteTasks.test.ts is all such
 * tests; the baseline finds it deploys nothing here and it is never run for a mutant.)
 */
const OUT_OF_PROCESS_TESTS =
  /`hardhat run scripts\/deploy\.ts` reads REPCHAIN_\* variables|on a restarted chain, a journal naming/;

interface SumoConfig {
  contractsDir: string;
  testDir: string;
  skipContracts: string[];
  skipTests: string[];
}

function filesUnder(dir: string, suffixes: string[]): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path, suffixes);
    return suffixes.some((s) => entry.name.endsWith(s)) ? [path] : [];
  });
}

/** The contracts to mutate and the test files to run, selected as SuMo selects them from sumo-config.js. */
function scope(): { contracts: string[]; tests: string[] } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- sumo-config.js is SuMo's CommonJS config
  const config = require(join(root, "sumo-config.js")) as SumoConfig;
  const kept = (dir: string, skip: string[], suffixes: string[]) =>
    filesUnder(join(root, dir), suffixes)
      .filter((file) => !skip.some((s) => s !== "" && file.startsWith(join(root, dir, s))))
      .sort();
  return {
    contracts: kept(config.contractsDir, config.skipContracts, [".sol"]),
    tests: kept(config.testDir, config.skipTests, [".ts", ".js"]),
  };
}

interface Unit {
  file: string;
  /** The sources compiled for this file's mutants: the file and all that import it (project-relative). */
  sources: Record<string, string>;
  /** Creation bytecode of each contract those sources define, as this runner compiles the original. */
  original: Map<string, string>;
}

function compileUnit(settings: object, file: string): Unit {
  const sources = Object.fromEntries(
    dependents(root, "contracts", file).map((path) => [path, readFileSync(join(root, path), "utf8")]),
  );
  const compiled = compileSources(root, settings, sources);
  if (!compiled.ok) throw new Error(`the original ${relative(root, file)} does not compile:\n${compiled.error}`);
  return { file, sources, original: compiled.bytecode };
}

/** Swaps replacing each deployable contract's artifact code by `code` (contracts without artifacts are skipped). */
async function swapsFor(unit: Unit, code: Map<string, string>): Promise<Swap[]> {
  const swaps: Swap[] = [];
  for (const [path] of Object.entries(unit.sources)) {
    for (const [contract] of unit.original) {
      const name = `${path}:${contract}`;
      if (!(await hre.artifacts.artifactExists(name))) continue;
      const replacement = code.get(contract);
      if (replacement === undefined) continue;
      swaps.push({ contract, original: (await hre.artifacts.readArtifact(name)).bytecode, replacement });
    }
  }
  return swaps;
}

/** MUTATION_SHARD=k/n: this process takes the mutants whose index in SuMo's order is k modulo n. */
function inShard(index: number): boolean {
  const shard = process.env.MUTATION_SHARD;
  if (shard === undefined) return true;
  const [k, n] = shard.split("/").map(Number);
  if (!(Number.isInteger(k) && Number.isInteger(n) && n > 0 && k >= 0 && k < n)) {
    throw new Error(`MUTATION_SHARD: given ${shard}, expected k/n with 0 ≤ k < n`);
  }
  return index % n === k;
}

function wanted(mutant: Mutant, previous: MutantResult | undefined): boolean {
  if (process.env.MUTATION_REPORT === "1") return false;
  const ids = process.env.MUTATION_IDS?.split(",").map((s) => s.trim());
  if (ids !== undefined) return ids.includes(mutant.id);
  if (previous === undefined) return true;
  return process.env.MUTATION_RERUN === "live" && previous.status === "live";
}

async function main(): Promise<void> {
  await hre.run("compile", { quiet: true });
  mkdirSync(resultsDir, { recursive: true });
  const settings = hre.config.solidity.compilers[0].settings as object;
  const { contracts, tests } = scope();
  const units = contracts.map((file) => compileUnit(settings, file));
  const plans = units.map((unit) => {
    const { mutants, apply } = sumoMutants(root, unit.file);
    const previous = new Map(latestResults(unit.file, resultsDir).map((r) => [r.id, r]));
    return { unit, mutants, apply, todo: mutants.filter((m, i) => inShard(i) && wanted(m, previous.get(m.id))) };
  });
  if (plans.some((p) => p.todo.length > 0)) {
    const swapper = new BytecodeSwapper(hre.network.provider);
    const baseline = await runBaseline(units, tests, swapper);
    for (const { unit, mutants, apply, todo } of plans) {
      const files = tests.filter((t) => [...unit.original.keys()].some((c) => baseline.get(t)!.deployed.has(c)));
      const kills = killsByFile(latestResults(unit.file, resultsDir));
      // Files that killed much in little time go first: a killed mutant stops at its first failing test.
      const cost = (file: string) => baseline.get(file)!.seconds / (1 + (kills.get(relative(root, file)) ?? 0));
      console.log(
        `\n${relative(root, unit.file)}: ${mutants.length} mutants, ${todo.length} to run; tests: ${files.map((f) => basename(f)).join(", ")}`,
      );
      // MUTATION_ORDER=reverse: a helper process for a shard starts from its end, so the two meet in the middle.
      if (process.env.MUTATION_ORDER === "reverse") todo.reverse();
      for (const [index, mutant] of todo.entries()) {
        // Another process of the same shard may have tested it meanwhile.
        if (
          !wanted(
            mutant,
            latestResults(unit.file, resultsDir).find((r) => r.id === mutant.id),
          )
        )
          continue;
        const ordered = [...files].sort((a, b) => cost(a) - cost(b));
        const record = await testMutant(unit, mutant, apply(mutant), ordered, swapper);
        const killer = killerFile(record);
        if (killer !== undefined) kills.set(killer, (kills.get(killer) ?? 0) + 1);
        appendFileSync(join(resultsDir, `${basename(unit.file)}.jsonl`), `${JSON.stringify(record)}\n`);
        console.log(
          `[${index + 1}/${todo.length}] ${mutant.id} ${mutant.operator} line ${mutant.startLine}: ${record.status} in ${record.seconds.toFixed(1)} s${record.killedBy ? ` (${record.killedBy.slice(0, 160)})` : ""}`,
        );
      }
    }
  }
  const generated = new Map(plans.map((p) => [p.unit.file, p.mutants.length]));
  const table = scoreTable(root, contracts, resultsDir, generated);
  writeFileSync(join(resultsDir, "summary.md"), table);
  console.log(`\n${table}`);
}

/** The test file (project-relative) whose test killed the mutant first. */
const killerFile = (r: MutantResult) => (r.status === "killed" ? r.killedBy?.split(" › ")[0] : undefined);

/** How many mutants each test file killed first. */
function killsByFile(results: MutantResult[]): Map<string, number> {
  const kills = new Map<string, number>();
  for (const file of results.map(killerFile)) if (file !== undefined) kills.set(file, (kills.get(file) ?? 0) + 1);
  return kills;
}

type Baseline = Map<string, { seconds: number; deployed: Set<string> }>;

/**
 * The baseline of the current contracts and test files: from .mutation/baseline.json when it was made from
 * the same texts (so parallel shards and restarts do not pay it again), else run now and saved.
 */
async function runBaseline(units: Unit[], tests: string[], swapper: BytecodeSwapper): Promise<Baseline> {
  // The mapping counts only the contracts swapped, those of the files under mutation: they are in the key.
  const mutated = units.map((u) => `mutated ${relative(root, u.file)}`).join("\n");
  const inputs = [...filesUnder(join(root, "contracts"), [".sol"]).sort(), ...tests];
  const key = sourceSha(mutated + inputs.map((f) => `${relative(root, f)}\n${readFileSync(f, "utf8")}`).join("\0"));
  const cache = join(resultsDir, "baseline.json");
  if (existsSync(cache)) {
    const saved = JSON.parse(readFileSync(cache, "utf8")) as { key: string; files: [string, number, string[]][] };
    if (saved.key === key) {
      return new Map(
        saved.files.map(([f, seconds, deployed]) => [join(root, f), { seconds, deployed: new Set(deployed) }]),
      );
    }
  }
  const baseline = await measureBaseline(units, tests, swapper);
  const files = [...baseline].map(([f, b]) => [relative(root, f), b.seconds, [...b.deployed]]);
  writeFileSync(cache, JSON.stringify({ key, files }));
  return baseline;
}

/**
 * Every test file alone, with this runner's compile of the originals swapped in: each must pass, and the run
 * tells which files deploy which contracts and how long each takes.
 */
async function measureBaseline(units: Unit[], tests: string[], swapper: BytecodeSwapper): Promise<Baseline> {
  swapper.use((await Promise.all(units.map((u) => swapsFor(u, u.original)))).flat());
  const baseline: Baseline = new Map();
  for (const test of tests) {
    swapper.deployed.clear();
    const run = await runTestFiles(hre, [test], { bail: false, timeoutMs: testTimeoutMs, skip: OUT_OF_PROCESS_TESTS });
    if (run.failures > 0) throw new Error(`baseline: ${relative(root, test)} fails unmutated: ${run.firstFailure}`);
    const deployed = new Set(swapper.deployed.keys());
    baseline.set(test, { seconds: run.seconds, deployed });
    console.log(
      `baseline ${relative(root, test)}: ${run.seconds.toFixed(1)} s, deploys ${[...deployed].join(", ") || "nothing swappable"}`,
    );
  }
  return baseline;
}

async function testMutant(
  unit: Unit,
  mutant: Mutant,
  mutated: string,
  files: string[],
  swapper: BytecodeSwapper,
): Promise<MutantResult> {
  const started = Date.now();
  const outcome = await outcomeOf(unit, mutated, files, swapper);
  return {
    id: mutant.id,
    file: relative(root, unit.file),
    line: mutant.startLine,
    operator: mutant.operator,
    original: mutant.original,
    replace: mutant.replace,
    sourceSha: sourceSha(unit.sources[relative(root, unit.file)]),
    ...outcome,
    seconds: (Date.now() - started) / 1000,
  };
}

async function outcomeOf(
  unit: Unit,
  mutated: string,
  files: string[],
  swapper: BytecodeSwapper,
): Promise<Pick<MutantResult, "status" | "killedBy">> {
  const compiled = compileSources(root, hre.config.solidity.compilers[0].settings as object, {
    ...unit.sources,
    [relative(root, unit.file)]: mutated,
  });
  if (!compiled.ok) return { status: "stillborn", killedBy: compiled.error.split("\n")[0] };
  const lost = [...unit.original.keys()].filter((name) => !compiled.bytecode.has(name));
  if (lost.length > 0) return { status: "stillborn", killedBy: `no longer deployable: ${lost.join(", ")}` };
  const same = [...unit.original].every(([name, code]) => compiled.bytecode.get(name) === code);
  if (same) return { status: "equivalent" };
  swapper.use(await swapsFor(unit, compiled.bytecode));
  if (files.length === 0) return { status: "unexercised" };
  const run = await runTestFiles(hre, files, { bail: true, timeoutMs: testTimeoutMs, skip: OUT_OF_PROCESS_TESTS });
  if (swapper.deployed.size === 0) return { status: "unexercised" };
  return run.failures > 0 ? { status: "killed", killedBy: run.firstFailure } : { status: "live" };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
