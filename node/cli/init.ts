import { writeFileSync } from "node:fs";
import { Command } from "commander";
import { genesisToJson, validateGenesis, type Genesis } from "../chain/genesis";
import { MAX_TARGET } from "../chain/pow";
import { loadDeployment } from "../types/deployment";
import type { Address } from "../types/primitives";
import { BadInputError } from "./badInput";

interface InitFlags {
  deployment: string;
  out: string;
  representatives: string;
  chainId: string;
  epochLength: string;
  targetBlockTimeMs: string;
  powTarget?: string;
  powDifficulty: string;
  timestamp?: string;
}

function whole(name: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new BadInputError(`--${name} must be a whole number, got ${text}`);
  return Number(text);
}

/** Builds the genesis from the flags; validateGenesis names the first bad value. */
export function genesisFromFlags(flags: InitFlags): Genesis {
  const deployment = loadDeployment(flags.deployment);
  const representatives = flags.representatives
    .split(",")
    .map((a) => a.trim().toLowerCase())
    .filter((a) => a !== "");
  for (const r of representatives)
    if (!/^0x[0-9a-f]{40}$/.test(r)) throw new BadInputError(`--representatives: ${r} is not an address`);
  const difficulty = BigInt(whole("pow-difficulty", flags.powDifficulty) || 1);
  const initialPowTarget = flags.powTarget === undefined ? MAX_TARGET / difficulty : BigInt(flags.powTarget);
  try {
    return validateGenesis({
      chainId: BigInt(whole("chain-id", flags.chainId)),
      l1: {
        auditorRegistry: deployment.auditorRegistry.toLowerCase() as Address,
        candidateRegistry: deployment.candidateRegistry.toLowerCase() as Address,
        voteRegistry: deployment.voteRegistry.toLowerCase() as Address,
        deploymentBlock: deployment.deploymentBlock,
      },
      representatives: representatives as Address[],
      epochLength: whole("epoch-length", flags.epochLength),
      targetBlockTimeMs: whole("target-block-time-ms", flags.targetBlockTimeMs),
      initialPowTarget,
      timestamp: flags.timestamp === undefined ? Date.now() : whole("timestamp", flags.timestamp),
    });
  } catch (err) {
    throw new BadInputError((err as Error).message);
  }
}

/** `repchain init`: writes the genesis file every node of the chain must share. */
export function initCommand(): Command {
  return new Command("init")
    .description("write a genesis file (chain id, L1 registries, first representatives, epochs, PoW)")
    .requiredOption("--deployment <file>", "deployments/<network>.json of the registries")
    .requiredOption("--representatives <addresses>", "comma-separated node addresses of epoch 0 (≥ 1; 4 for BFT)")
    .option("-o, --out <file>", "where to write the genesis", "genesis.json")
    .option("--chain-id <n>", "the L2 chain id", "4242")
    .option("--epoch-length <blocks>", "blocks per epoch", "100")
    .option("--target-block-time-ms <ms>", "block time the PoW retarget aims for", "1000")
    .option("--pow-difficulty <n>", "expected hashes per block: initial target = (2^256 - 1) / n", "4096")
    .option("--pow-target <n>", "initial PoW target (decimal or 0x); overrides --pow-difficulty")
    .option("--timestamp <ms>", "genesis time, Unix ms (default: now)")
    .action((flags: InitFlags) => {
      const genesis = genesisFromFlags(flags);
      writeFileSync(flags.out, `${JSON.stringify(genesisToJson(genesis), null, 2)}\n`);
      process.stdout.write(`${flags.out}\n`);
    });
}
