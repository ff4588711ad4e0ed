import { loadavg } from "node:os";
import secp256k1 from "secp256k1";
import { verifyCertificate } from "../../node/chain/certificate";
import { testGenesis } from "../../node/testing/genesis";
import { applyFinalizedBlock, chainConfig, createChainState, type ChainConfig } from "../../node/chain/chainState";
import { headerHash } from "../../node/chain/headerCodec";
import { MAX_TARGET } from "../../node/chain/pow";
import { buildBlockTemplate, sealBlock } from "../../node/chain/produceBlock";
import { RegistryMirror, registryCodec } from "../../node/chain/registryView";
import { clearRecoveryCache, keyPairFromPrivateKey, signDigest, type KeyPair } from "../../node/chain/signing";
import { signTransaction } from "../../node/chain/transaction";
import type { CommitCertificate, FinalizedBlock } from "../../node/chain/types";
import { verifyBlock } from "../../node/chain/verifyBlock";
import { voteDigest } from "../../node/chain/voteDigest";
import { mineSync } from "../../node/sim/instantMiner";
import { Prng } from "../../node/sim/prng";
import { ZERO_HASH } from "../../node/chain/bytes";
import type { Address } from "../../node/types/primitives";
import { reportFigure, reportLimit } from "./figure";

/**
 * `npm run bench:verify`: how fast a syncing node checks finalized blocks — verifyBlock (PoW,
 * proposer, signatures, roots, transactions, events) + the commit certificate (precommits of 5 of
 * 7 representatives) + applying the block — on a chain built here with BLOCKS blocks of TXS
 * transactions each. The recovery memo is emptied before each pass, so every signature is really
 * recovered. Beside the figure, the limit measured in the same run,
 * interleaved with the main-thread pass (after each batch, as many bare native recoveries as the
 * batch needed): the binding's recoveries/s on one core, and what that allows in blocks/s.
 */
const BLOCKS = Number(process.env.BLOCKS ?? 2000);
const TXS = Number(process.env.TXS ?? 0);
const BATCH = Number(process.env.BATCH ?? 32);
const CHAIN_ID = 1337n;

const source = {
  confirmedHead: () => ({ number: 0, hash: ZERO_HASH, timestamp: 0n }),
  blockRef: () => null,
  eventsBetween: () => [],
};

function buildChain(config: ChainConfig, keys: readonly KeyPair[], client: KeyPair): FinalizedBlock[] {
  const builder = createChainState(config, new RegistryMirror());
  const chain: FinalizedBlock[] = [];
  let nonce = 0n;
  let lastCommit: CommitCertificate | null = null;
  for (let h = 1; h <= BLOCKS; h++) {
    const proposer = keys[h % keys.length];
    const txs = Array.from({ length: TXS }, () => signTransaction(CHAIN_ID, client, nonce++, "0x0102"));
    const t = buildBlockTemplate(config, builder, {
      proposer: proposer.address,
      round: 0,
      nowMs: h * 1000,
      source,
      transactions: txs,
      maxEvents: 0,
      lastCommit,
    });
    const block = sealBlock(config, mineSync(t.header, 10_000_000)!, t.body, proposer);
    const hash = headerHash(block.header);
    const signatures = keys
      .slice(0, 5)
      .map((k) => signDigest(voteDigest("precommit", CHAIN_ID, h, 0, hash), k.privateKey));
    lastCommit = { height: h, round: 0, blockHash: hash, signatures };
    chain.push({ block, certificate: lastCommit });
    applyFinalizedBlock(config, builder, block);
  }
  return chain;
}

/** What a syncing node does per block once its signatures are recovered (or not yet). */
function verifyOne(
  config: ChainConfig,
  state: ReturnType<typeof createChainState>,
  f: FinalizedBlock,
  members: Address[],
) {
  verifyBlock(config, state, f.block, { source, nowMs: null });
  verifyCertificate(CHAIN_ID, f.certificate, f.block.header.height, headerHash(f.block.header), members);
  applyFinalizedBlock(config, state, f.block);
}

function seconds(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/**
 * The native binding's recoveries on one core, sampled between the verifier's batches so that both
 * see the same machine load (on a shared machine it moves by 2× within seconds).
 */
class NativeRecoverProbe {
  private readonly digests: Uint8Array[];
  private readonly sigs: { signature: Uint8Array; recid: number }[];
  private recovered = 0;
  private spent = 0;

  constructor(prng: Prng) {
    const key = prng.bytes32();
    this.digests = Array.from({ length: 256 }, () => prng.bytes32());
    this.sigs = this.digests.map((d) => secp256k1.ecdsaSign(d, key));
  }

  sample(count: number): void {
    const started = process.hrtime.bigint();
    for (let i = 0; i < count; i++) {
      const { signature, recid } = this.sigs[i % 256];
      secp256k1.ecdsaRecover(signature, recid, this.digests[i % 256], false);
    }
    this.spent += seconds(started);
    this.recovered += count;
  }

  get rate(): number {
    return this.recovered / this.spent;
  }
}

async function main(): Promise<void> {
  const prng = new Prng(1);
  const keys = Array.from({ length: 7 }, () => keyPairFromPrivateKey(prng.bytes32()));
  const client = keyPairFromPrivateKey(prng.bytes32());
  const genesis = testGenesis(
    keys.map((k) => k.address),
    { epochLength: 1_000_000, initialPowTarget: MAX_TARGET >> 8n, timestamp: 0 },
  );
  const config = chainConfig(genesis, registryCodec);
  const chain = buildChain(config, keys, client);
  const members = keys.map((k) => k.address);
  // Recoveries a block needs: the proposer's, each transaction's, a quorum (5) of precommits.
  const perBlock = 1 + TXS + 5;

  const probe = new NativeRecoverProbe(prng);
  probe.sample(256); // warm
  clearRecoveryCache();
  const state = createChainState(config, new RegistryMirror());
  let verifying = 0;
  for (let i = 0; i < chain.length; i += BATCH) {
    const started = process.hrtime.bigint();
    for (const f of chain.slice(i, i + BATCH)) verifyOne(config, state, f, members);
    verifying += seconds(started);
    probe.sample(Math.min(BATCH, chain.length - i) * perBlock); // as many recoveries as the batch needed
  }
  const inline = BLOCKS / verifying;

  const native = probe.rate;

  const ceiling = native / perBlock;
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
  console.log(
    `verify ${BLOCKS} blocks, ${TXS} tx each, 5-of-7 certificates (${perBlock} recoveries/block); load average ${load}`,
  );
  console.log(
    `  native secp256k1 recover, 1 core, this run: ${Math.round(native)}/s = ${Math.round(ceiling)} blocks/s on one core`,
  );
  console.log(
    `  main thread only:          ${Math.round(inline)} blocks/s (${pct(inline / ceiling)} of the one-core limit)`,
  );
  const aim = TXS >= 50 ? 250 : 1000;
  reportLimit("native.recover", "native secp256k1 recover, 1 core", native, "/s");
  reportLimit(`verify.limit${TXS}tx`, `one-core limit, ${perBlock} recoveries/block`, ceiling, "blocks/s");
  reportFigure({
    key: `verify.blocks${TXS}tx`,
    what: `sync verify, ${TXS} tx/block, 5-of-7 certificates`,
    value: inline,
    unit: "blocks/s",
    aim: `≥ ${aim}`,
    met: inline >= aim,
    against: `verify.limit${TXS}tx`,
  });
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

void main();
