import { ZERO_HASH, toHex } from "../chain/bytes";
import type { ChainConfig } from "../chain/chainState";
import { txRoot } from "../chain/bodyRoots";
import { headerHash } from "../chain/headerCodec";
import { signDigest, type KeyPair } from "../chain/signing";
import { signTransaction } from "../chain/transaction";
import type { Block } from "../chain/types";
import { blockDigest, proposalDigest, voteDigest } from "../chain/voteDigest";
import {
  decodeConsensusMessage,
  encodeConsensusMessage,
  maxConsensusMessageBytes,
  WireDecodeError,
} from "../consensus/messageCodec";
import type { ConsensusMessage, ProposalMessage, VoteMessage } from "../consensus/messages";
import type { Hex } from "../types/primitives";
import { mineSync } from "./instantMiner";
import type { Prng } from "./prng";

/** What the Byzantine node did over a run (each kind must have happened for a sweep to mean anything). */
export interface ByzantineStats {
  /** Two different proposals signed for one (height, round), each sent to part of the peers. */
  twinProposals: number;
  /** Two different prevotes or precommits signed for one (height, round). */
  conflictingVotes: number;
  /** Second proposals claiming a polka at the previous round that never formed (a fake validRound). */
  fakeValidRounds: number;
  /** Proposals of blocks over the genesis byte budgets (a transaction above maxTransactionBytes). */
  overBudget: number;
  /** Messages larger than the consensus topic's wire limit, sent... */
  overWire: number;
  /** ...and refused by the production decoder (each must be). */
  wireRefused: number;
  /** Old messages (its own or others') sent again. */
  replayed: number;
}

/** How a message leaves the Byzantine node: to one peer (the simulator carries it over its network). */
export type ByzantineSend = (to: number, message: ConsensusMessage) => void;

const REPLAY_MEMORY = 256;
const MINING_ATTEMPTS_MAX = 1_000_000;

/**
 * One Byzantine representative. It runs the production core (so it proposes and votes on time,
 * like a real attacker would, to be counted), but everything its core releases passes through
 * here first, where it may be turned into an attack: two proposals for one round sent to
 * different peers, conflicting votes sent to different peers (and both to one, so some honest
 * node sees the equivocation), blocks over the byte budgets, messages over the wire limit, and
 * old messages replayed. It signs with its key directly, around the SignGuard. Every message
 * goes through the production wire codec, as it would arrive from a real peer.
 */
export class ByzantineAdversary {
  readonly stats: ByzantineStats = {
    twinProposals: 0,
    conflictingVotes: 0,
    fakeValidRounds: 0,
    overBudget: 0,
    overWire: 0,
    wireRefused: 0,
    replayed: 0,
  };
  private readonly memory: ConsensusMessage[] = [];
  /** The twin block of each (height, round) it proposed twice: its conflicting prevotes name it. */
  private readonly twins = new Map<string, Hex>();
  private readonly wireLimit: number;

  constructor(
    private readonly prng: Prng,
    private readonly key: KeyPair,
    private readonly config: ChainConfig,
    private readonly peers: () => readonly number[],
    private readonly send: ByzantineSend,
  ) {
    this.wireLimit = maxConsensusMessageBytes(config.genesis.maxBlockBytes);
  }

  /** A message delivered to the Byzantine node: kept (bounded) to be replayed later. */
  observe(message: ConsensusMessage): void {
    if (this.memory.length >= REPLAY_MEMORY) this.memory[this.prng.int(0, REPLAY_MEMORY - 1)] = message;
    else this.memory.push(message);
  }

  /** What its own core releases, turned into an attack or not. */
  publish(message: ConsensusMessage): void {
    if (message.type === "proposal" && message.validRound === -1) this.proposal(message);
    else if (message.type === "vote" && message.validator === this.key.address) this.vote(message);
    else this.toAll(message);
    if (this.memory.length > 0 && this.prng.chance(0.2)) {
      this.stats.replayed++;
      const old = this.overWire(this.prng.pick(this.memory));
      if (old !== null) this.send(this.prng.pick(this.peers()), old);
    }
  }

  private proposal(p: ProposalMessage): void {
    const roll = this.prng.float();
    if (p.round > 0 && roll < 0.5) {
      // A later round, where a polka could have formed: claim one that did not.
      this.stats.fakeValidRounds++;
      this.split(p, this.resigned(p, p.block.header, p.block.body, p.round - 1));
    } else if (roll < 0.45) {
      const twin = this.resigned(p, { ...p.block.header, timestamp: p.block.header.timestamp + 1 }, p.block.body);
      this.twins.set(`${p.height}/${p.round}`, headerHash(twin.block.header));
      this.stats.twinProposals++;
      this.split(p, twin);
    } else if (roll < 0.65) {
      this.stats.overBudget++;
      this.split(p, this.withPayload(p, this.config.genesis.maxTransactionBytes));
    } else if (roll < 0.68) {
      this.stats.overWire++;
      this.split(p, this.withPayload(p, this.wireLimit));
    } else {
      this.toAll(p);
    }
  }

  private vote(v: VoteMessage): void {
    if (!this.prng.chance(0.5)) return this.toAll(v);
    const twin = this.twins.get(`${v.height}/${v.round}`);
    const other = v.blockHash === null ? (twin ?? (toHex(this.prng.bytes32()) as Hex)) : null;
    const digest = voteDigest(v.kind, this.config.genesis.chainId, v.height, v.round, other ?? ZERO_HASH);
    this.stats.conflictingVotes++;
    this.split(v, { ...v, blockHash: other, signature: signDigest(digest, this.key.privateKey) });
  }

  /** The same proposal with one more transaction of `bytes` payload bytes: over a budget. */
  private withPayload(p: ProposalMessage, bytes: number): ProposalMessage {
    const tx = signTransaction(this.config.genesis.chainId, this.key, 0n, toHex(new Uint8Array(bytes)));
    const transactions = [...p.block.body.transactions, tx];
    const header = { ...p.block.header, txRoot: txRoot(transactions) };
    return this.resigned(p, header, { ...p.block.body, transactions });
  }

  /** A proposal of (header, body) for p's height and round, claiming `validRound`: mined and signed anew. */
  private resigned(p: ProposalMessage, header: Block["header"], body: Block["body"], validRound = -1): ProposalMessage {
    const mined = mineSync(header, MINING_ATTEMPTS_MAX) ?? header;
    const hash = headerHash(mined);
    const chainId = this.config.genesis.chainId;
    const block = {
      header: mined,
      body,
      proposerSignature: signDigest(blockDigest(chainId, hash), this.key.privateKey),
    };
    const signature = signDigest(proposalDigest(chainId, p.height, p.round, validRound, hash), this.key.privateKey);
    return { ...p, validRound, block, signature };
  }

  /**
   * `a` to a random part of the peers, `b` to the rest, and both (in random order) to one of them.
   * A message the wire refuses (null) is simply not received.
   */
  private split(sentA: ConsensusMessage, sentB: ConsensusMessage): void {
    const a = this.overWire(sentA);
    const b = this.overWire(sentB);
    const peers = this.peers();
    const witness = this.prng.pick(peers);
    const deliver = (peer: number, m: ConsensusMessage | null) => m !== null && this.send(peer, m);
    for (const peer of peers) {
      if (peer === witness) {
        const [first, second] = this.prng.chance(0.5) ? [a, b] : [b, a];
        deliver(peer, first);
        deliver(peer, second);
      } else {
        deliver(peer, this.prng.chance(0.5) ? a : b);
      }
    }
  }

  private toAll(sent: ConsensusMessage): void {
    const message = this.overWire(sent);
    if (message !== null) for (const peer of this.peers()) this.send(peer, message);
  }

  /**
   * The message as a peer receives it: through the production codec, bounded as the consensus topic
   * is (null: the decoder refused the frame, so it never arrives).
   */
  private overWire(message: ConsensusMessage): ConsensusMessage | null {
    try {
      return decodeConsensusMessage(encodeConsensusMessage(message), this.wireLimit);
    } catch (err) {
      if (!(err instanceof WireDecodeError)) throw err;
      this.stats.wireRefused++;
      return null;
    }
  }
}
