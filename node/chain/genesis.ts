import { z } from "zod";
import type { Address, Hex } from "../types/primitives";
import { concatBytes, fromHex, keccak256Hex, uintBytes } from "./bytes";
import {
  DEFAULT_MAX_BLOCK_BYTES,
  DEFAULT_MAX_TRANSACTION_BYTES,
  DEFAULT_MAX_TRANSACTIONS_PER_BLOCK,
  minimumMaxBlockBytes,
  MAX_BLOCK_BYTES_LIMIT,
  MAX_TRANSACTION_BYTES_LIMIT,
  MAX_TRANSACTIONS_PER_BLOCK_LIMIT,
} from "./budgets";
import { TRANSACTION_OVERHEAD_BYTES } from "./transaction";
import { DEFAULT_MAX_EVIDENCE_AGE_BLOCKS, MAX_EVIDENCE_AGE_BLOCKS_LIMIT } from "./evidence";
import { ChainError, ChainErrorCode } from "./errors";
import { MAX_TARGET } from "./pow";
import { formatIssues } from "../config/zodIssue";

/** The chain's founding parameters: written once by `repchain init`, identical on every node. */
export interface Genesis {
  readonly chainId: bigint;
  readonly l1: {
    readonly auditorRegistry: Address;
    readonly candidateRegistry: Address;
    readonly voteRegistry: Address;
    /** The ERC-5805 token whose voting power weighs the votes. */
    readonly votingToken: Address;
    /**
     * The first L1 block of the history the chain imports: the registries' deployment block, or the
     * voting token's when older (power recorded before the registries counts). The chain anchors at
     * the block before.
     */
    readonly deploymentBlock: number;
  };
  /** The representatives of epoch 0, in proposer order. */
  readonly representatives: readonly Address[];
  readonly epochLength: number;
  readonly targetBlockTimeMs: number;
  readonly initialPowTarget: bigint;
  /** Unix milliseconds; block 1 must be later. */
  readonly timestamp: number;
  /** Largest valid block, in bytes of its canonical form (budgets.ts). */
  readonly maxBlockBytes: number;
  /** Largest valid transaction, in bytes of its signed encoding. */
  readonly maxTransactionBytes: number;
  /** Most transactions a valid block carries. */
  readonly maxTransactionsPerBlock: number;
  /**
   * Downtime rule (liveness.ts): a representative whose precommits are in fewer than this many
   * thousandths of its epoch's counted commits is not electable for `downtimeJailEpochs` epochs.
   */
  readonly minSignedPermille: number;
  readonly downtimeJailEpochs: number;
  /** Equivocation evidence older than this many blocks below the next height is refused (evidence.ts). */
  readonly maxEvidenceAgeBlocks: number;
  /**
   * L1 blocks on top of a block before the chain may anchor to it (docs/follower.md). A consensus
   * rule: nodes that counted differently would refuse each other's anchors.
   */
  readonly l1Confirmations: number;
}

/** `repchain init`'s default and a genesis file's without the field: safe on Ethereum's proof of stake. */
export const DEFAULT_L1_CONFIRMATIONS = 12;
/** Deepest confirmation depth a genesis may set (about 3.4 hours of 12 s L1 blocks). */
export const MAX_L1_CONFIRMATIONS = 1024;

/**
 * The downtime rule's defaults: 5 % as the Cosmos Hub's slashing module (a stopped representative
 * signs none; a live one signs at least the blocks it proposes itself, 1/n of them), 2 epochs out.
 */
export const DEFAULT_DOWNTIME_RULE = { minSignedPermille: 50, downtimeJailEpochs: 2 } as const;
/** Longest downtime jail a genesis may set. */
export const MAX_DOWNTIME_JAIL_EPOCHS = 1_000_000;

/**
 * The validity limits of a genesis with the defaults `repchain init` writes. Every node must agree on
 * them, so they are genesis parameters (hashed into the genesis); what a node's own proposals hold
 * is its own config (docs/node.md). A new limit: a field here and in Genesis, its range check in
 * validateLimits, its bytes in genesisHash, its `repchain init` flag.
 */
export const DEFAULT_GENESIS_LIMITS = {
  maxBlockBytes: DEFAULT_MAX_BLOCK_BYTES,
  maxTransactionBytes: DEFAULT_MAX_TRANSACTION_BYTES,
  maxTransactionsPerBlock: DEFAULT_MAX_TRANSACTIONS_PER_BLOCK,
  ...DEFAULT_DOWNTIME_RULE,
  maxEvidenceAgeBlocks: DEFAULT_MAX_EVIDENCE_AGE_BLOCKS,
} as const satisfies Partial<Genesis>;

/** Smallest epoch: the last block of an epoch only carries the election, so 2 blocks at least. */
export const MIN_EPOCH_LENGTH = 2;
export const MAX_REPRESENTATIVES = 256;

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "an address")
  .transform((s) => s.toLowerCase() as Address);
const uintString = z
  .union([z.string().regex(/^(0x[0-9a-fA-F]+|[0-9]+)$/), z.number().int().nonnegative()])
  .transform((v) => BigInt(v));

/** The genesis file's JSON shape (bigints as decimal or 0x strings). */
export const genesisJsonSchema = z.strictObject({
  chainId: uintString,
  l1: z.strictObject({
    auditorRegistry: address,
    candidateRegistry: address,
    voteRegistry: address,
    votingToken: address,
    deploymentBlock: z.number().int().positive(),
  }),
  representatives: z.array(address),
  epochLength: z.number().int(),
  targetBlockTimeMs: z.number().int(),
  initialPowTarget: uintString,
  timestamp: z.number().int().nonnegative(),
  maxBlockBytes: z.number().int().default(DEFAULT_GENESIS_LIMITS.maxBlockBytes),
  maxTransactionBytes: z.number().int().default(DEFAULT_GENESIS_LIMITS.maxTransactionBytes),
  maxTransactionsPerBlock: z.number().int().default(DEFAULT_GENESIS_LIMITS.maxTransactionsPerBlock),
  minSignedPermille: z.number().int().default(DEFAULT_DOWNTIME_RULE.minSignedPermille),
  downtimeJailEpochs: z.number().int().default(DEFAULT_DOWNTIME_RULE.downtimeJailEpochs),
  maxEvidenceAgeBlocks: z.number().int().default(DEFAULT_GENESIS_LIMITS.maxEvidenceAgeBlocks),
  l1Confirmations: z.number().int().default(DEFAULT_L1_CONFIRMATIONS),
});

function bad(reason: string): never {
  throw new ChainError({ code: ChainErrorCode.BAD_GENESIS, reason });
}

/** Checks the rules a JSON schema cannot express; returns the genesis unchanged. */
export function validateGenesis(genesis: Genesis): Genesis {
  if (genesis.chainId <= 0n || genesis.chainId >= 1n << 64n) bad(`chainId ${genesis.chainId} not in [1, 2^64)`);
  const reps = genesis.representatives;
  if (reps.length === 0 || reps.length > MAX_REPRESENTATIVES) bad(`${reps.length} representatives`);
  if (new Set(reps).size !== reps.length) bad("duplicate representative");
  for (const r of reps) if (r !== r.toLowerCase()) bad(`address not lowercase: ${r}`);
  if (!Number.isSafeInteger(genesis.epochLength) || genesis.epochLength < MIN_EPOCH_LENGTH) {
    bad(`epochLength ${genesis.epochLength} < ${MIN_EPOCH_LENGTH}`);
  }
  if (!Number.isSafeInteger(genesis.targetBlockTimeMs) || genesis.targetBlockTimeMs <= 0) {
    bad(`targetBlockTimeMs ${genesis.targetBlockTimeMs} must be positive`);
  }
  if (genesis.initialPowTarget <= 0n || genesis.initialPowTarget > MAX_TARGET)
    bad("initialPowTarget not in [1, 2^256)");
  if (genesis.l1.deploymentBlock < 1) bad("deploymentBlock must be ≥ 1");
  validateLimits(genesis);
  validateDowntimeRule(genesis);
  const depth = genesis.l1Confirmations;
  if (!Number.isSafeInteger(depth) || depth < 0 || depth > MAX_L1_CONFIRMATIONS) {
    bad(`l1Confirmations ${depth} not in [0, ${MAX_L1_CONFIRMATIONS}]`);
  }
  return genesis;
}

function validateDowntimeRule(genesis: Genesis): void {
  const permille = genesis.minSignedPermille;
  if (!Number.isSafeInteger(permille) || permille < 0 || permille > 1000) {
    bad(`minSignedPermille ${permille} not in [0, 1000]`);
  }
  const jail = genesis.downtimeJailEpochs;
  if (!Number.isSafeInteger(jail) || jail < 0 || jail > MAX_DOWNTIME_JAIL_EPOCHS) {
    bad(`downtimeJailEpochs ${jail} not in [0, ${MAX_DOWNTIME_JAIL_EPOCHS}]`);
  }
}

/**
 * A block must hold at least one largest transaction, its wire form must fit a P2P frame, and its
 * transaction list the gossip codec's bound.
 */
function validateLimits(genesis: Genesis): void {
  const age = genesis.maxEvidenceAgeBlocks;
  if (!Number.isSafeInteger(age) || age < 1 || age > MAX_EVIDENCE_AGE_BLOCKS_LIMIT) {
    bad(`maxEvidenceAgeBlocks ${age} not in [1, ${MAX_EVIDENCE_AGE_BLOCKS_LIMIT}]`);
  }
  const count = genesis.maxTransactionsPerBlock;
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_TRANSACTIONS_PER_BLOCK_LIMIT) {
    bad(`maxTransactionsPerBlock ${count} not in [1, ${MAX_TRANSACTIONS_PER_BLOCK_LIMIT}]`);
  }
  const tx = genesis.maxTransactionBytes;
  if (!Number.isSafeInteger(tx) || tx < TRANSACTION_OVERHEAD_BYTES || tx > MAX_TRANSACTION_BYTES_LIMIT) {
    bad(`maxTransactionBytes ${tx} not in [${TRANSACTION_OVERHEAD_BYTES}, ${MAX_TRANSACTION_BYTES_LIMIT}]`);
  }
  const block = genesis.maxBlockBytes;
  const smallest = minimumMaxBlockBytes(tx);
  if (!Number.isSafeInteger(block) || block < smallest || block > MAX_BLOCK_BYTES_LIMIT) {
    bad(
      `maxBlockBytes ${block} not in [${smallest}, ${MAX_BLOCK_BYTES_LIMIT}] (it must hold, besides half the budget for ` +
        "L1 events, the largest lastCommit, election result and evidence list, and one maxTransactionBytes transaction)",
    );
  }
}

export function parseGenesis(json: unknown): Genesis {
  const parsed = genesisJsonSchema.safeParse(json);
  if (!parsed.success) bad(formatIssues(parsed.error, json));
  return validateGenesis(parsed.data);
}

export function genesisToJson(genesis: Genesis): Record<string, unknown> {
  return {
    ...genesis,
    chainId: genesis.chainId.toString(),
    initialPowTarget: `0x${genesis.initialPowTarget.toString(16)}`,
  };
}

/** The hash every node agrees on as block 1's parent: keccak over the canonical genesis bytes. */
export function genesisHash(genesis: Genesis): Hex {
  return keccak256Hex(
    concatBytes([
      uintBytes(genesis.chainId, 8),
      fromHex(genesis.l1.auditorRegistry, 20),
      fromHex(genesis.l1.candidateRegistry, 20),
      fromHex(genesis.l1.voteRegistry, 20),
      fromHex(genesis.l1.votingToken, 20),
      uintBytes(genesis.l1.deploymentBlock, 8),
      uintBytes(genesis.representatives.length, 4),
      ...genesis.representatives.map((r) => fromHex(r, 20)),
      uintBytes(genesis.epochLength, 8),
      uintBytes(genesis.targetBlockTimeMs, 8),
      uintBytes(genesis.initialPowTarget, 32),
      uintBytes(genesis.timestamp, 8),
      uintBytes(genesis.maxBlockBytes, 4),
      uintBytes(genesis.maxTransactionBytes, 4),
      uintBytes(genesis.maxTransactionsPerBlock, 4),
      uintBytes(genesis.minSignedPermille, 2),
      uintBytes(genesis.downtimeJailEpochs, 4),
      uintBytes(genesis.maxEvidenceAgeBlocks, 4),
      uintBytes(genesis.l1Confirmations, 4),
    ]),
  );
}
