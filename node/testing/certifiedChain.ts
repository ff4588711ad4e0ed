import { applyFinalizedBlock } from "../chain/chainState";
import { headerHash } from "../chain/headerCodec";
import { signDigest } from "../chain/signing";
import { signTransaction } from "../chain/transaction";
import type { FinalizedBlock } from "../chain/types";
import { voteDigest } from "../chain/voteDigest";
import { honestBlock, keyOf, type Fixture } from "./chainFixture";
import { registration } from "./staticL1";

/** Precommits of every representative of the state's current set over `block`. */
export function certify(f: Fixture, block: FinalizedBlock["block"]): FinalizedBlock {
  const hash = headerHash(block.header);
  const digest = voteDigest("precommit", f.genesis.chainId, block.header.height, block.header.round, hash);
  const signatures = f.state.representatives.map((r) => signDigest(digest, keyOf(f, r.address).privateKey));
  return {
    block,
    certificate: { height: block.header.height, round: block.header.round, blockHash: hash, signatures },
  };
}

/**
 * `count` finalized blocks on the fixture's chain, applied to f.state as they are built: every
 * third block imports a new L1 block with a registration, every block carries `txPerBlock`
 * signed transactions from key 6.
 */
export function certifiedChain(f: Fixture, count: number, txPerBlock = 1): FinalizedBlock[] {
  const out: FinalizedBlock[] = [];
  const sender = f.keys[5];
  let nonce = f.state.accountNonces.get(sender.address) ?? 0n;
  for (let i = 0; i < count; i++) {
    if (i % 3 === 0) f.l1.addBlock([registration(`0x${(i + 1).toString(16).padStart(40, "e")}`)]);
    const transactions = Array.from({ length: txPerBlock }, () =>
      signTransaction(f.genesis.chainId, sender, nonce++, "0x1234"),
    );
    const finalized = certify(f, honestBlock(f, { transactions }));
    applyFinalizedBlock(f.config, f.state, finalized.block);
    out.push(finalized);
  }
  return out;
}
