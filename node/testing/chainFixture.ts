import { createChainState, chainConfig, type ChainConfig, type ChainState } from "../chain/chainState";
import type { Genesis } from "../chain/genesis";
import { buildBlockTemplate, sealBlock } from "../chain/produceBlock";
import { RegistryMirror, registryCodec } from "../chain/registryView";
import type { KeyPair } from "../chain/signing";
import { signTransaction, type Transaction } from "../chain/transaction";
import { heartbeatPayload } from "../chain/heartbeat";
import type { Block, BlockHeader, CommitCertificate } from "../chain/types";
import { parentSet } from "../chain/lastCommit";
import { signDigest } from "../chain/signing";
import { voteDigest } from "../chain/voteDigest";
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

/**
 * A lastCommit for the head block (null at genesis): the round-0 precommits of the parent set's
 * members among the fixture's keys, or of `signers` only (in the set's order).
 */
export function parentCommit(f: Fixture, signers?: readonly Address[]): CommitCertificate | null {
  if (f.state.height === 0) return null;
  const { height, headHash } = f.state;
  const digest = voteDigest("precommit", f.genesis.chainId, height, 0, headHash);
  const members = parentSet(f.config, f.state, height + 1).filter((m) => signers?.includes(m) ?? true);
  const keys = members.flatMap((m) => f.keys.filter((k) => k.address === m));
  return { height, round: 0, blockHash: headHash, signatures: keys.map((k) => signDigest(digest, k.privateKey)) };
}

/** One heartbeat from each key, with its next nonce, for the epoch of height + 1. */
export function heartbeats(f: Fixture, keys: readonly KeyPair[]): Transaction[] {
  const payload = heartbeatPayload(f.state.liveness.epoch);
  return keys.map((k) => signTransaction(f.genesis.chainId, k, f.state.accountNonces.get(k.address) ?? 0n, payload));
}

/** What an honest proposer of (height + 1, round) produces: built, mined, sealed. */
export function honestBlock(
  f: Fixture,
  options: {
    round?: number;
    nowMs?: number;
    transactions?: Transaction[];
    edit?: (h: BlockHeader) => BlockHeader;
    /** The parent's certificate to carry; by default every parent-set member's precommit (parentCommit). */
    lastCommit?: CommitCertificate | null;
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
    lastCommit: options.lastCommit === undefined ? parentCommit(f) : options.lastCommit,
  });
  const header = mineSync(options.edit ? options.edit(template.header) : template.header, 1_000_000)!;
  return sealBlock(f.config, header, template.body, keyOf(f, header.proposer));
}
