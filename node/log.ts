import pino, { type Logger } from "pino";

export type { Logger };

/**
 * The node's logger: JSON lines on stderr (stdout stays free for command output such as
 * `repchain elect --json`). Secrets are never passed to it; the redact list is a second line of
 * defence for fields that might carry one by accident.
 */
export function createLogger(name: string, level: string = process.env.REPCHAIN_LOG_LEVEL ?? "info"): Logger {
  return pino(
    {
      name,
      level,
      redact: {
        paths: ["privateKey", "*.privateKey", "password", "*.password", "mnemonic", "*.mnemonic"],
        censor: "[redacted]",
      },
    },
    pino.destination({ fd: 2, sync: true }),
  );
}
