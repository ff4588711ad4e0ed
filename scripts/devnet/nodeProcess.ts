import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

/** How a node process is started (l2Nodes.ts: `repchain run --config …` from the build). */
export interface NodeCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Where the node will serve JSON-RPC (the devnet chose the port). */
  readonly rpcUrl: string;
}

/** What the devnet hears from its node processes. */
export interface NodeProcessEvents {
  /** An error or fatal log line, a crash, or a node that would not stop: the devnet will exit non-zero. */
  onError(node: string, line: string): void;
}

/** pino levels: 50 error, 60 fatal. */
const ERROR_LEVEL = 50;
const STOP_TIMEOUT_MS = 15_000;

/**
 * One validator node as a child process, ready once its RPC port answers GET /health. Its
 * stderr (pino JSON) is copied to `<dataDir>/node.log` and watched for error lines. `stop()` sends
 * SIGTERM and waits for the exit (SIGKILL after a timeout, which counts as an error): no orphans.
 */
export class NodeProcess {
  private readonly child: ChildProcess;
  private readonly log: WriteStream;
  private readonly exited: Promise<void>;
  private stopping = false;
  readonly ready: Promise<string>;

  constructor(
    readonly name: string,
    readonly dataDir: string,
    spec: NodeCommand,
    private readonly events: NodeProcessEvents,
  ) {
    this.log = createWriteStream(join(dataDir, "node.log"), { flags: "a" });
    // stdin stays open as a lifeline: if the devnet dies without stopping it, the node sees EOF and stops.
    this.child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ["pipe", "ignore", "pipe"],
    });
    const exitedEarly = new Promise<never>((_, reject) =>
      this.child.once("exit", (code) => reject(new Error(`${name} exited (code ${code}) before listening`))),
    );
    this.ready = Promise.race([healthy(spec.rpcUrl), exitedEarly]);
    this.ready.catch(() => undefined);
    createInterface({ input: this.child.stderr! }).on("line", (line) => this.onLogLine(line));
    this.exited = new Promise((resolve) => {
      this.child.once("exit", (code, signal) => {
        if (!this.stopping || (code !== 0 && code !== null)) {
          this.events.onError(name, `process exited (code ${code}, signal ${signal})`);
        }
        resolve();
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private onLogLine(line: string): void {
    this.log.write(`${line}\n`);
    let level: number | undefined;
    try {
      level = (JSON.parse(line) as { level?: number }).level;
    } catch {
      // Not a pino line (a runtime's own warning or a stack trace): an error only if it says so.
      if (/error/i.test(line)) this.events.onError(this.name, line);
      return;
    }
    if (level !== undefined && level >= ERROR_LEVEL) this.events.onError(this.name, line);
  }

  /** The terminal's Ctrl-C reaches the nodes too (same process group): their exit is then expected. */
  markStopping(): void {
    this.stopping = true;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill("SIGTERM");
      const timer = setTimeout(() => {
        this.events.onError(this.name, `did not stop within ${STOP_TIMEOUT_MS} ms: killed`);
        this.child.kill("SIGKILL");
      }, STOP_TIMEOUT_MS);
      await this.exited;
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => this.log.end(resolve));
  }
}

/** Resolves with `url` once GET /health answers. */
async function healthy(url: string): Promise<string> {
  for (;;) {
    const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) }).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return url;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
