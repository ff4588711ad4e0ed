import { Command, InvalidArgumentError } from "commander";

export interface DevnetOptions {
  readonly nodes: number;
  /** Blocks per epoch. */
  readonly epochLength: number;
  /** L1 interval-mining period (and the L2 target block time once the L2 node runs). */
  readonly blockTimeMs: number;
  /** Seconds until the devnet stops by itself; 0 runs until Ctrl-C. */
  readonly durationSeconds: number;
  readonly quiet: boolean;
  readonly story: boolean;
  /** Where the nodes' and auditors' folders go (must be empty or absent); a temp dir by default. */
  readonly dataDir?: string;
  /** A genesis representative (n0–n3) started with the TEST ONLY equivocation switch; none by default. */
  readonly byzantine?: string;
}

/** The nodes `--byzantine` accepts: the genesis representatives, the only ones that sign from the start. */
export const BYZANTINE_CHOICES = ["n0", "n1", "n2", "n3"] as const;

function genesisRepresentative(value: string): string {
  if (!(BYZANTINE_CHOICES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(
      `expected a genesis representative (${BYZANTINE_CHOICES.join(", ")}), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function whole(min: number, max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
    }
    return Number(value);
  };
}

/** `npm run devnet -- [flags]`. Bad flags print one line and exit 2 (commander's usage error is 1: overridden). */
export function parseDevnetOptions(argv: readonly string[]): DevnetOptions {
  const program = new Command("devnet")
    .description("run L1, three auditors and a network of repchain nodes on 127.0.0.1, and play the election story")
    .option("--nodes <n>", "validator nodes (4 representatives, the others candidates or ordinary)", whole(4, 40), 7)
    .option("--epoch-length <blocks>", "blocks per epoch", whole(2, 10_000), 8)
    .option("--block-time-ms <ms>", "block time", whole(50, 60_000), 1000)
    .option("--duration <seconds>", "stop after this many seconds (0: run until Ctrl-C)", whole(0, 31_536_000), 0)
    .option("--quiet", "plain lines: the story and each epoch's representatives only", false)
    .option("--no-story", "only start the network, for you to drive with the Hardhat tasks")
    .option("--data-dir <dir>", "folder for the nodes' and auditors' data (default: a new temp folder)")
    .option(
      "--byzantine <node>",
      "start this genesis representative with the TEST ONLY equivocation switch and show its evidence, L1 slash and removal (instead of the story)",
      genesisRepresentative,
    )
    .exitOverride((err) => {
      if (err.exitCode === 0) process.exit(0);
      process.exit(2);
    })
    .parse(argv as string[]);
  const o = program.opts<{
    nodes: number;
    epochLength: number;
    blockTimeMs: number;
    duration: number;
    quiet: boolean;
    story: boolean;
    dataDir?: string;
    byzantine?: string;
  }>();
  return {
    nodes: o.nodes,
    epochLength: o.epochLength,
    blockTimeMs: o.blockTimeMs,
    durationSeconds: o.duration,
    quiet: o.quiet,
    story: o.story,
    dataDir: o.dataDir,
    byzantine: o.byzantine,
  };
}
