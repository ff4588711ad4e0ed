import { Command, CommanderError } from "commander";

/** Exit code for bad input (malformed config, bad flags), as distinct from a runtime failure (1). */
export const EXIT_BAD_INPUT = 2;

/**
 * The subcommands, each in its own file beside this one. A command's module pulls in ethers,
 * fastify, LevelDB or libp2p, which takes far longer to load than `repchain --help` may take, so
 * only the command being run is loaded (`require` inside `load`, not an import at the top); the
 * others appear in the help by name and summary. test/cli/commands.test.ts checks that each summary
 * is the loaded command's own description.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
export const COMMANDS: readonly { name: string; summary: string; load: () => Command }[] = [
  {
    name: "follow",
    summary: "follow the L1 registries' events into the node database",
    load: () => (require("./follow") as typeof import("./follow")).followCommand(),
  },
  {
    name: "elect",
    summary: "print the candidates, their votes and the elected representatives at an L1 block",
    load: () => (require("./elect") as typeof import("./elect")).electCommand(),
  },
  {
    name: "auditor",
    summary: "the auditor service: review applications, sign credentials",
    load: () => (require("./auditor") as typeof import("./auditor")).auditorCommand(),
  },
  {
    name: "apply",
    summary: "apply for candidacy: answer the auditors' challenges, sign, submit, optionally register",
    load: () => (require("./apply") as typeof import("./apply")).applyCommand(),
  },
  {
    name: "init",
    summary: "write a genesis file (chain id, L1 registries, first representatives, epochs, PoW)",
    load: () => (require("./init") as typeof import("./init")).initCommand(),
  },
  {
    name: "run",
    summary: "run a repchain validator node (a node without a key verifies and stores only)",
    load: () => (require("./run") as typeof import("./run")).runCommand(),
  },
  {
    name: "key",
    summary: "make keys: a node's, a voter's, an operator's, an auditor's",
    load: () => (require("./key") as typeof import("./key")).keyCommand(),
  },
  {
    name: "tx",
    summary: "sign and send L2 transactions",
    load: () => (require("./tx") as typeof import("./tx")).txCommand(),
  },
];
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * Builds the `repchain` program for `argv`: the subcommand named in it (also after `help`) is
 * loaded in full; every other one is a stand-in that only lists its name and summary.
 */
export function buildProgram(argv: readonly string[] = []): Command {
  const program = new Command("repchain")
    .description("repchain: representative node election (WO 2020/048440) — validator node and tools")
    .exitOverride()
    .showHelpAfterError();
  const wanted = requestedCommand(argv);
  for (const { name, summary, load } of COMMANDS) {
    program.addCommand(name === wanted ? load() : new Command(name).description(summary));
  }
  // addCommand does not pass exitOverride on: subcommand usage errors must reach main's exit code 2 too.
  for (const command of program.commands) command.copyInheritedSettings(program);
  return program;
}

/** The subcommand `argv` (node, script, args…) runs or asks help for, if any. */
function requestedCommand(argv: readonly string[]): string | undefined {
  const args = argv.slice(2).filter((a) => !a.startsWith("-"));
  return args[0] === "help" ? args[1] : args[0];
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram(argv).parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exit(err.exitCode === 0 ? 0 : EXIT_BAD_INPUT);
    }
    process.stderr.write(`repchain: ${err instanceof Error ? err.message : String(err)}\n`);
    // Loaded here, not at the top: it pulls in ethers and zod, which `--help` must not wait for.
    const { isBadInput } = require("./badInput") as typeof import("./badInput"); // eslint-disable-line @typescript-eslint/no-require-imports
    process.exit(isBadInput(err) ? EXIT_BAD_INPUT : 1);
  }
}
