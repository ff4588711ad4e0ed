import { verifyCertificate } from "../../node/chain/certificate";
import { testGenesis } from "../../node/testing/genesis";
import { applyFinalizedBlock, chainConfig, createChainState } from "../../node/chain/chainState";
import { headerHash } from "../../node/chain/headerCodec";
import { MAX_TARGET } from "../../node/chain/pow";
import { buildBlockTemplate, sealBlock } from "../../node/chain/produceBlock";
import { RegistryGovernance, registryCodec } from "../../node/chain/registryView";
import { clearRecoveryCache, keyPairFromPrivateKey, signDigest } from "../../node/chain/signing";
import { signTransaction } from "../../node/chain/transaction";
import type { FinalizedBlock } from "../../node/chain/types";
import { verifyBlock } from "../../node/chain/verifyBlock";
import { voteDigest } from "../../node/chain/voteDigest";
import { mineSync } from "../../node/sim/instantMiner";
import { Prng } from "../../node/sim/prng";
import { ZERO_HASH } from "../../node/chain/bytes";

/**
 * `npm run bench:verify`: how fast a syncing node checks finalized blocks — verifyBlock (PoW,
 * proposer, signatures, roots, transactions, events) + the commit certificate (precommits of 5 of
 * 7 representatives) + applying the block — on a chain built here with BLOCKS blocks of TXS
 * transactions each. The recovery memo is emptied first, so every signature is really recovered.
 */
const BLOCKS = Number(process.env.BLOCKS ?? 2000);
const TXS = Number(process.env.TXS ?? 0);

function main(): void {
  const prng = new Prng(1);
  const keys = Array.from({ length: 7 }, () => keyPairFromPrivateKey(prng.bytes32()));
  const client = keyPairFromPrivateKey(prng.bytes32());
  const genesis = testGenesis(
    keys.map((k) => k.address),
    { epochLength: 1_000_000, initialPowTarget: MAX_TARGET >> 8n, timestamp: 0 },
  );
  const config = chainConfig(genesis, registryCodec);
  const source = {
    confirmedHead: () => ({ number: 0, hash: ZERO_HASH, timestamp: 0n }),
    blockRef: () => null,
    eventsBetween: () => [],
  };
  const builder = createChainState(config, new RegistryGovernance());
  const chain: FinalizedBlock[] = [];
  let nonce = 0n;
  for (let h = 1; h <= BLOCKS; h++) {
    const proposer = keys[h % keys.length];
    const txs = Array.from({ length: TXS }, () => signTransaction(1337n, client, nonce++, "0x0102"));
    const t = buildBlockTemplate(config, builder, {
      proposer: proposer.address,
      round: 0,
      nowMs: h * 1000,
      source,
      transactions: txs,
      maxEvents: 0,
    });
    const block = sealBlock(config, mineSync(t.header, 10_000_000)!, t.body, proposer);
    const hash = headerHash(block.header);
    const signatures = keys
      .slice(0, 5)
      .map((k) => signDigest(voteDigest("precommit", 1337n, h, 0, hash), k.privateKey));
    chain.push({ block, certificate: { height: h, round: 0, blockHash: hash, signatures } });
    applyFinalizedBlock(config, builder, block);
  }
  clearRecoveryCache();
  const state = createChainState(config, new RegistryGovernance());
  const members = keys.map((k) => k.address);
  const started = process.hrtime.bigint();
  for (const { block, certificate } of chain) {
    verifyBlock(config, state, block, { source, nowMs: null });
    verifyCertificate(1337n, certificate, block.header.height, headerHash(block.header), members);
    applyFinalizedBlock(config, state, block);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(
    `verified ${BLOCKS} blocks (${TXS} tx each, 5-of-7 certificates) in ${seconds.toFixed(2)} s = ${Math.round(BLOCKS / seconds)} blocks/s`,
  );
}

main();
