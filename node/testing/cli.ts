import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

/** The command's source, run under ts-node so a test sees the current sources without a build. */
const REPCHAIN = join(__dirname, "../cli/repchain.ts");
export const REPCHAIN_ARGS = ["-r", "ts-node/register/transpile-only", REPCHAIN];

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Spawns `repchain ...args` (from the sources) as a real child process. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [...REPCHAIN_ARGS, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Collects a child's output and waits for it to exit. */
export function finished(child: ChildProcess): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
  return new Promise((resolve) => child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
}

/** Runs the CLI to completion. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return finished(spawnCli(args, env));
}

/** Resolves when a stderr JSON log line satisfies `match` (rejects if the child exits first). */
export function waitForLog(child: ChildProcess, match: (line: Record<string, unknown>) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const onData = (d: Buffer) => {
      buffered += d.toString("utf8");
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        let parsed: Record<string, unknown>;
        try {
          parsed = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue;
        }
        if (match(parsed)) {
          child.stderr?.off("data", onData);
          child.off("close", onClose);
          return resolve();
        }
      }
    };
    const onClose = (code: number | null) => reject(new Error(`child exited (${code}) before the expected log line`));
    child.stderr?.on("data", onData);
    child.once("close", onClose);
  });
}
