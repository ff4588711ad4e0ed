import { DEFAULT_MAX_BLOCK_BYTES, DEFAULT_MAX_TRANSACTION_BYTES } from "../../node/chain/budgets";
import { createChainState, chainConfig, type ChainConfig, type ChainState } from "../../node/chain/chainState";
import { ZERO_HASH } from "../../node/chain/bytes";
import type { GovernanceSource, L1BlockRef } from "../../node/chain/registryPorts";
import { validateGenesis, type Genesis } from "../../node/chain/genesis";
import { MAX_TARGET } from "../../node/chain/pow";
import { buildBlockTemplate, sealBlock } from "../../node/chain/produceBlock";
import { RegistryGovernance, registryCodec } from "../../node/chain/registryView";
import { keyPairFromPrivateKey, type KeyPair } from "../../node/chain/signing";
import type { Block, BlockHeader } from "../../node/chain/types";
import type { Transaction } from "../../node/chain/transaction";
import { mineSync } from "../../node/sim/instantMiner";
import type { Address, Hex } from "../../node/types/primitives";
import type { GovernanceEvent, GovernanceEventBody } from "../../node/registry/events";

/** Deterministic keys: private key = 0x00…0i. */
export function testKey(i: number): KeyPair {
  const pk = new Uint8Array(32);
  pk[31] = i;
  pk[30] = 0x5a;
  return keyPairFromPrivateKey(pk);
}

/** A fixed L1 whose blocks and events tests choose; everything is confirmed. */
export class StaticL1 implements GovernanceSource {
  readonly blocks: L1BlockRef[] = [{ number: 0, hash: ZERO_HASH, timestamp: 0n }];
  readonly events: GovernanceEvent[] = [];

  addBlock(bodies: readonly GovernanceEventBody[], timestamp = BigInt(this.blocks.length * 12)): L1BlockRef {
    const number = this.blocks.length;
    const hash = `0x${number.toString(16).padStart(64, "b")}` as Hex;
    const ref = { number, hash, timestamp };
    this.blocks.push(ref);
    bodies.forEach((body, logIndex) =>
      this.events.push({
        ...body,
        blockNumber: number,
        blockHash: hash,
        transactionHash: hash,
        logIndex,
      } as GovernanceEvent),
    );
    return ref;
  }

  confirmedHead(): L1BlockRef {
    return this.blocks[this.blocks.length - 1];
  }
  blockRef(n: number): L1BlockRef | null {
    return this.blocks[n] ?? null;
  }
  eventsBetween(from: number, to: number): readonly GovernanceEvent[] {
    return this.events.filter((e) => e.blockNumber > from && e.blockNumber <= to);
  }
}

export function registration(candidate: Address): GovernanceEventBody {
  return {
    kind: "CandidateRegistered",
    candidate,
    operator: candidate,
    deposit: 0n,
    qualificationHash: ZERO_HASH,
    credentialExpiry: 1n << 40n,
  };
}

export interface Fixture {
  keys: KeyPair[];
  genesis: Genesis;
  config: ChainConfig;
  state: ChainState;
  l1: StaticL1;
}

/** 4 genesis representatives (keys 1–4), epochs of 3 blocks, an easy PoW target. */
export function fixture(overrides: Partial<Genesis> = {}): Fixture {
  const keys = [1, 2, 3, 4, 5, 6].map(testKey);
  const genesis = validateGenesis({
    chainId: 1337n,
    l1: {
      auditorRegistry: `0x${"a1".repeat(20)}` as Address,
      candidateRegistry: `0x${"c1".repeat(20)}` as Address,
      voteRegistry: `0x${"d1".repeat(20)}` as Address,
      deploymentBlock: 1,
    },
    representatives: keys.slice(0, 4).map((k) => k.address),
    epochLength: 3,
    targetBlockTimeMs: 1000,
    initialPowTarget: MAX_TARGET >> 4n,
    timestamp: 1_000_000,
    maxBlockBytes: DEFAULT_MAX_BLOCK_BYTES,
    maxTransactionBytes: DEFAULT_MAX_TRANSACTION_BYTES,
    ...overrides,
  });
  const config = chainConfig(genesis, registryCodec);
  const state = createChainState(config, new RegistryGovernance());
  return { keys, genesis, config, state, l1: new StaticL1() };
}

export function keyOf(f: Fixture, address: Address): KeyPair {
  return f.keys.find((k) => k.address === address)!;
}

/** What an honest proposer of (height + 1, round) produces: built, mined, sealed. */
export function honestBlock(
  f: Fixture,
  options: {
    round?: number;
    nowMs?: number;
    transactions?: Transaction[];
    edit?: (h: BlockHeader) => BlockHeader;
  } = {},
): Block {
  const round = options.round ?? 0;
  const height = f.state.height + 1;
  const reps = f.state.representatives.map((r) => r.address);
  const proposer = reps[(height + round) % reps.length];
  const template = buildBlockTemplate(f.config, f.state, {
    proposer,
    round,
    nowMs: options.nowMs ?? f.state.headTimestamp + 1000,
    source: f.l1,
    transactions: options.transactions ?? [],
    maxEvents: 1000,
  });
  const header = mineSync(options.edit ? options.edit(template.header) : template.header, 1_000_000)!;
  return sealBlock(f.config, header, template.body, keyOf(f, header.proposer));
}
