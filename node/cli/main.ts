import { Command, CommanderError } from "commander";
import { applyCommand } from "./apply";
import { auditorCommand } from "./auditor";
import { isBadInput } from "./badInput";
import { electCommand } from "./elect";
import { followCommand } from "./follow";
import { initCommand } from "./init";
import { runCommand } from "./run";

/** Exit code for bad input (malformed config, bad flags), as distinct from a runtime failure (1). */
export const EXIT_BAD_INPUT = 2;

/** Builds the `repchain` program. Each subcommand lives in its own file beside this one. */
export function buildProgram(): Command {
  const program = new Command("repchain")
    .description("repchain: representative node election (WO 2020/048440) — validator node and tools")
    .exitOverride()
    .showHelpAfterError();
  program.addCommand(followCommand());
  program.addCommand(electCommand());
  program.addCommand(auditorCommand());
  program.addCommand(applyCommand());
  program.addCommand(initCommand());
  program.addCommand(runCommand());
  // addCommand does not pass exitOverride on: subcommand usage errors must reach main's exit code 2 too.
  for (const command of program.commands) command.copyInheritedSettings(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exit(err.exitCode === 0 ? 0 : EXIT_BAD_INPUT);
    }
    process.stderr.write(`repchain: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(isBadInput(err) ? EXIT_BAD_INPUT : 1);
  }
}
