import pino, { type Logger } from "pino";

/** Every error line the devnet sees (its own, the auditors', the nodes'); any makes it exit non-zero. */
export class ErrorLines {
  readonly lines: string[] = [];

  constructor(private readonly echo: (line: string) => void) {}

  report(source: string, line: string): void {
    this.lines.push(`${source}: ${line}`);
    this.echo(`error: ${source}: ${line}`);
  }
}

/** pino's level numbers: 50 error, 60 fatal. */
const ERROR_LEVEL = 50;

/**
 * The logger of the in-process parts (the auditors): JSON lines into `<dataDir>/devnet.log`, kept
 * off the terminal view; a line at error level or above is also reported as an error line.
 */
export function devnetLogger(file: string, errors: ErrorLines): Logger {
  return pino(
    {
      name: "devnet",
      level: "info",
      hooks: {
        logMethod(args, method, level) {
          if (level >= ERROR_LEVEL)
            errors.report("auditor", args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
          method.apply(this, args);
        },
      },
    },
    pino.destination({ dest: file, sync: true, mkdir: true }),
  );
}
