import type { NodeStatus } from "../../node/rpc/nodeView";
import type { NodeRpcClient, WireStanding } from "../../node/rpc/nodeRpcClient";

export interface ViewedNode {
  readonly name: string;
  readonly address?: string;
  readonly rpc: NodeRpcClient;
}

export interface ViewOptions {
  /** Redraw a block in place (a terminal) or print plain lines (a pipe, a log, --quiet). */
  readonly live: boolean;
  readonly quiet: boolean;
  readonly write: (text: string) => void;
}

interface Sample {
  readonly statuses: (NodeStatus | undefined)[];
  readonly representatives: WireStanding[];
  /** Mean proposal-to-commit time on the first node, from its /metrics histogram; undefined before any block. */
  readonly finalitySeconds?: number;
}

const STORY_LINES_SHOWN = 8;
const PLAIN_STATUS_EVERY_MS = 10_000;

/**
 * The devnet's terminal view. Each tick asks every node for its status and the first node for its
 * representatives, then either redraws a block in place or, off a terminal, prints a line when the
 * epoch changes (and a status line now and then unless --quiet). Story lines pass through.
 */
export class TerminalView {
  private readonly story: string[] = [];
  private drawnLines = 0;
  private lastEpoch = -1;
  private lastPlainStatusAt = 0;
  private rate: { at: number; height: number } | undefined;
  private blocksPerSecond = 0;
  private nodes: readonly ViewedNode[] = [];

  constructor(private readonly options: ViewOptions) {}

  /** From now on the view polls these nodes; the first one's dashboard is the one advertised. */
  attach(nodes: readonly ViewedNode[]): void {
    this.nodes = nodes;
  }

  /** Error lines go to stderr at once, and into the story block so a live view shows them too. */
  error(line: string): void {
    process.stderr.write(`${line}\n`);
    this.say(line);
  }

  say(line: string): void {
    const stamped = `${new Date().toISOString().slice(11, 19)} ${line}`;
    this.story.push(stamped);
    if (this.story.length > STORY_LINES_SHOWN) this.story.shift();
    // Before the nodes are attached there is no block to redraw: setup lines print plainly.
    if (!this.options.live || this.nodes.length === 0) this.options.write(`${stamped}\n`);
  }

  async tick(): Promise<void> {
    if (this.nodes.length === 0) return;
    const sample = await this.sample();
    const head = sample.statuses.find((s) => s !== undefined);
    if (head) this.measureRate(head.height);
    if (this.options.live) return this.redraw(sample);
    if (head && head.epoch !== this.lastEpoch) {
      this.lastEpoch = head.epoch;
      this.options.write(`epoch ${head.epoch}: representatives ${this.describeReps(sample.representatives)}\n`);
    }
    if (!this.options.quiet && head && Date.now() - this.lastPlainStatusAt >= PLAIN_STATUS_EVERY_MS) {
      this.lastPlainStatusAt = Date.now();
      this.options.write(`${this.headline(head, sample.finalitySeconds)}\n`);
    }
  }

  private async sample(): Promise<Sample> {
    const statuses = await Promise.all(this.nodes.map((n) => n.rpc.status().catch(() => undefined)));
    const representatives = await this.nodes[0].rpc.representatives().catch(() => []);
    const finalitySeconds = await meanFinality(this.nodes[0].rpc.url).catch(() => undefined);
    return { statuses, representatives, finalitySeconds };
  }

  private measureRate(height: number): void {
    const now = Date.now();
    if (this.rate && now - this.rate.at >= 3_000) {
      this.blocksPerSecond = ((height - this.rate.height) * 1000) / (now - this.rate.at);
      this.rate = { at: now, height };
    } else if (!this.rate) this.rate = { at: now, height };
  }

  private headline(s: NodeStatus, finalitySeconds: number | undefined): string {
    const finality = finalitySeconds === undefined ? "n/a" : `${(finalitySeconds * 1000).toFixed(0)} ms`;
    return (
      `L1 block ${s.l1.headBlock} (confirmed ${s.l1.confirmedBlock}) · height ${s.height} · epoch ${s.epoch}` +
      ` (${s.blocksUntilElection} to election) · ${this.blocksPerSecond.toFixed(2)} blocks/s` +
      ` · finality latency ${finality}`
    );
  }

  private describeReps(reps: readonly WireStanding[]): string {
    return reps.map((r) => `${this.nameOf(r.address)} (${r.votes})`).join(", ") || "(none)";
  }

  private nameOf(address: string): string {
    return this.nodes.find((n) => n.address === address)?.name ?? `${address.slice(0, 10)}…`;
  }

  private redraw(sample: Sample): void {
    const head = sample.statuses.find((s) => s !== undefined);
    const lines = [
      `repchain devnet · dashboard ${this.nodes[0].rpc.url}/ · Ctrl-C stops`,
      head ? this.headline(head, sample.finalitySeconds) : "waiting for the nodes…",
      `representatives: ${this.describeReps(sample.representatives)}`,
      "",
      ...this.nodes.map((n, i) => {
        const s = sample.statuses[i];
        if (!s) return `  ${n.name.padEnd(4)} (no answer)`;
        return `  ${n.name.padEnd(4)} ${s.role.padEnd(15)} epoch ${String(s.epoch).padEnd(4)} height ${String(s.height).padEnd(6)} L1 lag ${s.l1.lagBlocks}  ${n.rpc.url}`;
      }),
      "",
      ...this.story,
    ];
    // A line longer than the terminal wraps and breaks the cursor arithmetic: cut it. A pseudo
    // terminal without a size reports 0 columns.
    const columns = process.stdout.columns || 160;
    const fitted = lines.map((l) => (l.length < columns ? l : l.slice(0, columns - 1)));
    const up = this.drawnLines > 0 ? `\x1b[${this.drawnLines}F` : "";
    this.options.write(`${up}\x1b[0J${fitted.join("\n")}\n`);
    this.drawnLines = fitted.length;
  }
}

/** repchain_finality_latency_seconds sum / count from a node's Prometheus text. */
async function meanFinality(rpcUrl: string): Promise<number | undefined> {
  const text = await (await fetch(`${rpcUrl}/metrics`, { signal: AbortSignal.timeout(2_000) })).text();
  const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
  const count = value("repchain_finality_latency_seconds_count");
  return count > 0 ? value("repchain_finality_latency_seconds_sum") / count : undefined;
}
