import { expect } from "chai";
import type { Command } from "commander";
import hre from "hardhat";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { COMMANDS } from "../../node/cli/main";
import { codeOf } from "../helpers/markdown";

/**
 * The docs are read by people who copy what they show. These checks fail when a documented address,
 * command, task, flag or npm script does not exist, the way a reader would find out.
 */
const ROOT = join(__dirname, "..", "..");
const DOCS = ["README.md", ...readdirSync(join(ROOT, "docs")).map((f) => join("docs", f))].filter((f) =>
  f.endsWith(".md"),
);

function read(file: string): string {
  return readFileSync(join(ROOT, file), "utf8");
}

/** Each `<prefix> word --flag …` invocation in the code, cut at a shell separator or comment. */
function invocations(code: string[], prefix: RegExp): string[][] {
  const found: string[][] = [];
  for (const line of code) {
    for (const match of line.matchAll(prefix)) {
      const rest = line.slice((match.index ?? 0) + match[0].length).split(/\s(?:#|&&|\||;)|[`)]/)[0];
      found.push(rest.trim().split(/\s+/).filter(Boolean));
    }
  }
  return found;
}

function flagsOf(words: string[]): string[] {
  return words.filter((w) => /^--[a-z]/.test(w)).map((w) => w.split("=")[0].replace(/[.…,]+$/, ""));
}

describe("docs: what they show exists", function () {
  const code = DOCS.flatMap((file) => codeOf(read(file)).map((line) => ({ file, line })));
  const lines = code.map((c) => c.line);

  it("every address the docs cite is one of Hardhat's default accounts", async function () {
    const accounts = (await hre.ethers.getSigners()).map((s) => s.address.toLowerCase());
    const cited = DOCS.flatMap((file) =>
      [...read(file).matchAll(/0x[0-9a-fA-F]{40}(?![0-9a-fA-F])/g)].map((m) => ({ file, address: m[0] })),
    );
    for (const { file, address } of cited) {
      expect(accounts, `${file} cites ${address}`).to.include(address.toLowerCase());
    }
  });

  it("every `npx hardhat <task>` names a task, with flags the task takes", function () {
    const seen = invocations(lines, /npx hardhat /g);
    expect(seen.length).to.be.greaterThan(3);
    for (const words of seen) {
      const name = words.find((w) => !w.startsWith("-") && !/^(localhost|remote|devnet|hardhat)$/.test(w));
      if (name === undefined || name.includes("/")) continue; // `npx hardhat test test/x.ts`, `run script.ts`
      // A scoped task (`npx hardhat ignition deploy …`) is the word after the scope.
      const scope = hre.scopes[name];
      const scoped = scope === undefined ? undefined : words[words.indexOf(name) + 1];
      const definition = scope === undefined ? hre.tasks[name] : scope.tasks[scoped!];
      expect(definition, `hardhat task ${name}${scoped === undefined ? "" : ` ${scoped}`}`).to.not.equal(undefined);
      const known = new Set([...Object.keys(definition.paramDefinitions), "network", "config", "verbose"]);
      for (const flag of flagsOf(words)) {
        const param = flag.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
        expect([...known], `npx hardhat ${name} ${flag}`).to.include(param);
      }
    }
  });

  it("every `repchain <command>` names a command, with flags the command takes", function () {
    // The CLI loads only the command it runs; here every command is loaded to read its options.
    const program = { commands: COMMANDS.map((c) => c.load()) } as unknown as Command;
    const seen = invocations(lines, /(?:^|[\s(])repchain (?=[a-z])/g);
    expect(seen.length).to.be.greaterThan(5);
    for (const words of seen) {
      let command: Command = program;
      for (const word of words) {
        const sub = command.commands.find((c) => c.name() === word);
        if (sub === undefined) break;
        command = sub;
      }
      // `repchain auditor --config f` runs the default subcommand (serve), whose flags these are.
      const defaultName = (command as unknown as { _defaultCommandName?: string })._defaultCommandName;
      command = command.commands.find((c) => c.name() === defaultName) ?? command;
      expect(command, `repchain ${words.join(" ")}`).to.not.equal(program);
      const known = [...command.options.map((o) => o.long), "--help"];
      for (const flag of flagsOf(words)) expect(known, `repchain ${command.name()} ${flag}`).to.include(flag);
    }
  });

  it("every `npm run <script>` names a script in package.json", function () {
    const scripts = Object.keys((JSON.parse(read("package.json")) as { scripts: object }).scripts);
    for (const [name] of invocations(lines, /npm run /g)) expect(scripts, `npm run ${name}`).to.include(name);
  });
});
