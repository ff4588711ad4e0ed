import { writeFileSync } from "node:fs";
import { Command } from "commander";
import {
  DEFAULT_GENESIS_LIMITS,
  DEFAULT_L1_CONFIRMATIONS,
  genesisToJson,
  validateGenesis,
  type Genesis,
} from "../chain/genesis";
import { MIN_REPRESENTATIVES } from "../chain/epochElection";
import { MAX_TARGET } from "../chain/pow";
import { genesisL1 } from "../config/genesisFile";
import { loadDeployment, type Deployment } from "../types/deployment";
import type { Address } from "../types/primitives";
import { BadInputError } from "./badInput";

interface InitFlags {
  deployment: string;
  out: string;
  representatives: string;
  chainId?: string;
  epochLength: string;
  targetBlockTimeMs: string;
  powTarget?: string;
  powDifficulty: string;
  timestamp?: string;
  allowNoFaultTolerance?: boolean;
  maxBlockBytes: string;
  maxTransactionBytes: string;
  maxTransactionsPerBlock: string;
  minSignedPermille: string;
  downtimeJailEpochs: string;
  maxEvidenceAgeBlocks: string;
  l1Confirmations: string;
}

function whole(name: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new BadInputError(`--${name} must be a whole number, got ${text}`);
  return Number(text);
}

/**
 * The L2 chain id: the one CandidateRegistry was deployed with (its l2ChainId), so that equivocation
 * evidence signed on this chain slashes on L1. --chain-id may only repeat it.
 */
function l2ChainId(flags: InitFlags, deployment: Deployment): bigint {
  if (flags.chainId === undefined) return BigInt(deployment.l2ChainId);
  const given = whole("chain-id", flags.chainId);
  if (given !== deployment.l2ChainId) {
    throw new BadInputError(
      `--chain-id ${given} differs from the registries' l2ChainId ${deployment.l2ChainId}: evidence from this chain could not be slashed`,
    );
  }
  return BigInt(given);
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
  // Fewer than MIN_REPRESENTATIVES tolerate no faulty node: one stopped node halts the chain.
  const distinct = new Set(representatives).size;
  if (distinct < MIN_REPRESENTATIVES && !flags.allowNoFaultTolerance) {
    throw new BadInputError(
      `--representatives: expected at least ${MIN_REPRESENTATIVES} distinct addresses (BFT tolerates ` +
        `no faulty node below 4: one stopped node halts the chain), got ${distinct}; ` +
        "pass --allow-no-fault-tolerance to accept that",
    );
  }
  const difficulty = BigInt(whole("pow-difficulty", flags.powDifficulty) || 1);
  const initialPowTarget = flags.powTarget === undefined ? MAX_TARGET / difficulty : BigInt(flags.powTarget);
  try {
    return validateGenesis({
      chainId: l2ChainId(flags, deployment),
      l1: genesisL1(deployment),
      representatives: representatives as Address[],
      epochLength: whole("epoch-length", flags.epochLength),
      targetBlockTimeMs: whole("target-block-time-ms", flags.targetBlockTimeMs),
      initialPowTarget,
      timestamp: flags.timestamp === undefined ? Date.now() : whole("timestamp", flags.timestamp),
      maxBlockBytes: whole("max-block-bytes", flags.maxBlockBytes),
      maxTransactionBytes: whole("max-transaction-bytes", flags.maxTransactionBytes),
      maxTransactionsPerBlock: whole("max-transactions-per-block", flags.maxTransactionsPerBlock),
      minSignedPermille: whole("min-signed-permille", flags.minSignedPermille),
      downtimeJailEpochs: whole("downtime-jail-epochs", flags.downtimeJailEpochs),
      maxEvidenceAgeBlocks: whole("max-evidence-age-blocks", flags.maxEvidenceAgeBlocks),
      l1Confirmations: whole("l1-confirmations", flags.l1Confirmations),
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
    .requiredOption("--representatives <addresses>", "comma-separated node addresses of epoch 0 (at least 4)")
    .option("--allow-no-fault-tolerance", "accept 1–3 representatives (no faulty node tolerated: a test chain)")
    .option("-o, --out <file>", "where to write the genesis", "genesis.json")
    .option("--chain-id <n>", "the L2 chain id (default and only accepted value: the deployment's l2ChainId)")
    .option("--epoch-length <blocks>", "blocks per epoch", "100")
    .option("--target-block-time-ms <ms>", "block time the PoW retarget aims for", "1000")
    .option("--pow-difficulty <n>", "expected hashes per block: initial target = (2^256 - 1) / n", "4096")
    .option("--pow-target <n>", "initial PoW target (decimal or 0x); overrides --pow-difficulty")
    .option("--timestamp <ms>", "genesis time, Unix ms (default: now)")
    .option(
      "--max-block-bytes <n>",
      "largest valid block, bytes of its canonical form",
      String(DEFAULT_GENESIS_LIMITS.maxBlockBytes),
    )
    .option(
      "--max-transaction-bytes <n>",
      "largest valid transaction, bytes of its signed encoding (97 + payload)",
      String(DEFAULT_GENESIS_LIMITS.maxTransactionBytes),
    )
    .option(
      "--max-transactions-per-block <n>",
      "most transactions a valid block carries",
      String(DEFAULT_GENESIS_LIMITS.maxTransactionsPerBlock),
    )
    .option(
      "--min-signed-permille <n>",
      "downtime rule: a representative in fewer than n/1000 of its epoch's commits is not electable",
      String(DEFAULT_GENESIS_LIMITS.minSignedPermille),
    )
    .option(
      "--downtime-jail-epochs <n>",
      "downtime rule: for how many epochs",
      String(DEFAULT_GENESIS_LIMITS.downtimeJailEpochs),
    )
    .option(
      "--max-evidence-age-blocks <n>",
      "equivocation evidence older than this many blocks is refused",
      String(DEFAULT_GENESIS_LIMITS.maxEvidenceAgeBlocks),
    )
    .option(
      "--l1-confirmations <n>",
      "L1 blocks on top of a block before the chain imports it (0-2 on a local L1; 12 or more on a public one)",
      String(DEFAULT_L1_CONFIRMATIONS),
    )
    .action((flags: InitFlags) => {
      const genesis = genesisFromFlags(flags);
      writeFileSync(flags.out, `${JSON.stringify(genesisToJson(genesis), null, 2)}\n`);
      process.stdout.write(`${flags.out}\n`);
    });
}
