import { createChainState, chainConfig, type ChainConfig, type ChainState } from "../chain/chainState";
import type { Genesis } from "../chain/genesis";
import { buildBlockTemplate, sealBlock } from "../chain/produceBlock";
import { RegistryMirror, registryCodec } from "../chain/registryView";
import type { KeyPair } from "../chain/signing";
import type { Transaction } from "../chain/transaction";
import type { Block, BlockHeader } from "../chain/types";
import { mineSync } from "../sim/instantMiner";
import type { Address } from "../types/primitives";
import { testGenesis } from "./genesis";
import { testKey } from "./keys";
import { StaticL1 } from "./staticL1";

/**
 * A chain at genesis over a StaticL1, with the keys of its representatives: the starting point of
 * the chain, consensus and store tests and of bench:chain.
 */
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
  const genesis = testGenesis(
    keys.slice(0, 4).map((k) => k.address),
    overrides,
  );
  const config = chainConfig(genesis, registryCodec);
  const state = createChainState(config, new RegistryMirror());
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
