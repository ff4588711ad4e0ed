import { createChainState } from "../chain/chainState";
import { DEFAULT_MEMPOOL_LIMITS, Mempool } from "../chain/mempool";
import { RegistryMirror } from "../chain/registryView";
import type { KeyPair } from "../chain/signing";
import { SignGuard } from "../consensus/signGuard";
import { MemorySignStateStore } from "../consensus/signState";
import { ValidatorCore } from "../consensus/validator";
import type { Fixture } from "./chainFixture";

/** Consensus timeouts of tests that never let a timer fire. */
export const TEST_TIMEOUTS = { proposeMs: 1000, prevoteMs: 500, precommitMs: 500, roundDeltaMs: 100 } as const;

/**
 * A ValidatorCore without a key on the fixture's chain, from genesis (not from f.state, which
 * fixtures advance as they build blocks): it verifies and applies what it is given, as a node
 * catching up does.
 */
export function observerCore(f: Fixture, mempool?: Mempool): ValidatorCore {
  return coreFromGenesis(f, null, mempool);
}

/** The same with `key` (and a sign state in memory): a representative or candidate node's core; not started. */
export function keyedCore(f: Fixture, key: KeyPair, mempool?: Mempool): ValidatorCore {
  return coreFromGenesis(f, new SignGuard(key, new MemorySignStateStore()), mempool);
}

/** keyedCore with a mempool, started: a node following the fixture's chain (which it receives as commits). */
export function followingCore(f: Fixture, key: KeyPair): ValidatorCore {
  const core = keyedCore(f, key, new Mempool(f.genesis.chainId, DEFAULT_MEMPOOL_LIMITS));
  core.start(f.genesis.timestamp + 1);
  return core;
}

function coreFromGenesis(f: Fixture, guard: SignGuard | null, mempool?: Mempool): ValidatorCore {
  return new ValidatorCore({
    config: f.config,
    state: createChainState(f.config, new RegistryMirror()),
    source: f.l1,
    guard,
    timeouts: TEST_TIMEOUTS,
    mempool,
  });
}
