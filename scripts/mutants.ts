import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Command } from "commander";

/**
 * `npm run test:mutants`: builds each deliberately broken variant of the consensus core (and of the
 * gossip de-duplication it relies on) and shows it caught, by the unit tests and by the simulator
 * (every adversary on, short runs), printing a table. Each variant is a source patch applied to a temporary copy of node/, scripts/ and the
 * unit tests — never to the working tree, and never a switch that a node could turn on. A patch
 * whose text is no longer in its file fails the run: a refactor must update the variant, not
 * silently test nothing. The unpatched copy runs first and must pass both.
 */
interface Variant {
  readonly id: string;
  readonly what: string;
  readonly file: string;
  readonly find: string;
  readonly replace: string;
}

const VARIANTS: readonly Variant[] = [
  {
    id: "valid-round-polka",
    what: "proposal rule without the valid-round requirement (no 2f+1 prevotes at validRound needed)",
    file: "node/consensus/tendermint.ts",
    find: `p.validRound < this.round &&\n      this.votes.count(p.validRound, "prevote", p.blockHash) >= this.q`,
    replace: `p.validRound < this.round`,
  },
  {
    id: "lock-not-persisted",
    what: "lock not persisted with the precommit",
    file: "node/consensus/validator.ts",
    find: `guard.sign(out.height, out.round, step, [digest], vote, out.lock ?? null)`,
    replace: `guard.sign(out.height, out.round, step, [digest], vote, null)`,
  },
  {
    id: "valid-value-not-updated",
    what: "valid value not updated on a polka",
    file: "node/consensus/tendermint.ts",
    find: `this.validValue = { block: p.block, hash: p.blockHash };\n          this.validRound = r;`,
    replace: ``,
  },
  {
    id: "decide-without-valid",
    what: "deciding without valid(v)",
    file: "node/consensus/tendermint.ts",
    find: `if (this.votes.count(r, "precommit", hash) < this.q || !this.valid(block, hash)) continue;`,
    replace: `if (this.votes.count(r, "precommit", hash) < this.q) continue;`,
  },
  {
    id: "no-locking",
    what: "no locking at all (a lock never restricts a prevote)",
    file: "node/consensus/tendermint.ts",
    find: `const locked = this.unsafeDisableLocking ? -1 : this.lockedRound;`,
    replace: `const locked = -1;`,
  },
  {
    id: "quorum-2n3",
    what: "quorum ⌊2n/3⌋ instead of ⌊2n/3⌋+1",
    file: "node/chain/epochs.ts",
    find: `return Math.floor((2 * n) / 3) + 1;`,
    replace: `return Math.floor((2 * n) / 3);`,
  },
  {
    id: "certificate-duplicates",
    what: "certificates counting duplicate signers",
    file: "node/chain/certificate.ts",
    find: `const counted = new Set<Address>();`,
    replace:
      `const list: Address[] = [];\n  const counted = { add: (a: Address) => void list.push(a), get size() { return list.length; }, ` +
      `[Symbol.iterator]: () => list[Symbol.iterator]() };`,
  },
  {
    id: "gossip-remembers-ignored",
    what: "gossip de-duplication remembering IGNOREd messages (issue 11's lost-quorum stall)",
    file: "node/p2p/seenCache.ts",
    find: `if (result === ValidationResult.Ignore) this.ids.delete(id);`,
    replace: `void result;`,
  },
];

/** The unit tests each variant must fail (plain mocha on the copy: none of them needs Hardhat). */
const UNIT_TESTS = [
  "test/consensus/tendermint.test.ts",
  "test/consensus/voteBook.test.ts",
  "test/consensus/validator.test.ts",
  "test/consensus/signGuard.test.ts",
  "test/consensus/roles.test.ts",
  "test/chain/certificate.test.ts",
  "test/p2p/seenCache.test.ts",
];

const REPO = resolve(__dirname, "..");

interface Outcome {
  readonly unit: string | null;
  readonly sim: { readonly seeds: number; readonly violation: string } | null;
}

/** A copy of what the tests and the simulator need, sharing node_modules. */
function copyTree(dir: string): void {
  for (const path of ["node", "scripts", "test/consensus", "test/chain", "test/p2p", "tsconfig.json", "package.json"])
    cpSync(join(REPO, path), join(dir, path), { recursive: true });
  symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"), "dir");
}

function patch(dir: string, v: Variant): void {
  const path = join(dir, v.file);
  const source = readFileSync(path, "utf8");
  const at = source.indexOf(v.find);
  if (at < 0 || source.indexOf(v.find, at + 1) >= 0)
    throw new Error(
      `variant ${v.id}: the patched text must occur exactly once in ${v.file}; update scripts/mutants.ts`,
    );
  writeFileSync(path, source.slice(0, at) + v.replace + source.slice(at + v.find.length));
}

/** The first failing unit test's title, or null if all pass. */
function unitTests(dir: string): string | null {
  const mocha = spawnSync(
    join(dir, "node_modules/.bin/mocha"),
    ["-r", "ts-node/register/transpile-only", "--reporter", "json", "--timeout", "60000", ...UNIT_TESTS],
    {
      cwd: dir,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, TS_NODE_PROJECT: "tsconfig.json" },
    },
  );
  const report = JSON.parse(mocha.stdout.slice(mocha.stdout.indexOf("{"))) as {
    stats: { failures: number; passes: number };
    failures: { fullTitle: string }[];
  };
  if (report.stats.passes === 0) throw new Error(`no unit test ran in ${dir}: ${mocha.stderr}`);
  return report.failures[0]?.fullTitle ?? null;
}

/** The simulator over `seeds` short seeds with every adversary: the first violation, or null. */
function simulator(dir: string, seeds: number): Outcome["sim"] {
  const sim = spawnSync(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", "scripts/sim.ts", "--short", "--seeds", String(seeds)],
    { cwd: dir, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  const found = /^seed (\d+): VIOLATION (\S+?):/m.exec(sim.stdout);
  if (sim.status === 0) return null;
  if (found === null) throw new Error(`the simulator failed without a violation in ${dir}: ${sim.stderr}`);
  return { seeds: Number(found[1]), violation: found[2] };
}

function outcomeOf(root: string, id: string, v: Variant | null, seeds: number): Outcome {
  const dir = join(root, id);
  copyTree(dir);
  if (v !== null) patch(dir, v);
  return { unit: unitTests(dir), sim: simulator(dir, seeds) };
}

function cell(o: Outcome): [string, string] {
  return [
    o.unit === null ? "survives" : `caught: “${o.unit}”`,
    o.sim === null ? "survives" : `caught: ${o.sim.violation} at seed ${o.sim.seeds}`,
  ];
}

function main(argv: string[]): void {
  const o = new Command("mutants")
    .option("--seeds <n>", "simulator seeds per variant", (v) => Number.parseInt(v, 10), 200)
    .option("--only <id>", "one variant")
    .parse(argv)
    .opts<{ seeds: number; only?: string }>();
  const variants = VARIANTS.filter((v) => o.only === undefined || v.id === o.only);
  if (variants.length === 0) throw new Error(`--only: given ${o.only}, expected one of ${VARIANTS.map((v) => v.id)}`);
  const root = mkdtempSync(join(tmpdir(), "repchain-mutants-"));
  try {
    const baseline = outcomeOf(root, "unpatched", null, o.seeds);
    if (baseline.unit !== null || baseline.sim !== null)
      throw new Error(`the unpatched copy fails: ${baseline.unit ?? ""} ${baseline.sim?.violation ?? ""}`);
    console.log(`unpatched copy: unit tests pass, ${o.seeds} simulator seeds pass\n`);
    console.log(`| variant | unit tests | simulator (≤ ${o.seeds} short seeds, every adversary) |`);
    console.log("|---|---|---|");
    let survivors = 0;
    for (const v of variants) {
      const outcome = outcomeOf(root, v.id, v, o.seeds);
      if (outcome.unit === null && outcome.sim === null) survivors++;
      const [unit, sim] = cell(outcome);
      console.log(`| ${v.id}: ${v.what} | ${unit} | ${sim} |`);
    }
    console.log(survivors === 0 ? "\nevery variant caught" : `\n${survivors} variant(s) survived`);
    process.exitCode = survivors === 0 ? 0 : 1;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main(process.argv);
