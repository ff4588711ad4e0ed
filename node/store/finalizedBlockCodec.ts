import { decodeHeader, encodeHeader } from "../chain/headerCodec";
import { decodeCommitCertificate, encodeCommitCertificate } from "../chain/certificate";
import { decodeEvidence, encodeEvidence } from "../chain/evidence";
import { decodeTransaction, encodeTransaction } from "../chain/transaction";
import type { Block, CommitCertificate, FinalizedBlock } from "../chain/types";
import { decodeRepresentatives, encodeRepresentatives } from "../election/representative";
import { decodeRegistryEvent, encodeRegistryEvent } from "../registry/codec";
import type { Hex } from "../types/primitives";
import { ByteReader, ByteWriter } from "./byteStream";

/**
 * The store's own format of a finalized block, independent of what travels on the network (the
 * gossip codec may change with the protocol; stored blocks must stay readable). Binary, each part
 * in its canonical encoding, so decoding re-checks every one of them:
 *
 *   u8 version (1)
 *   bytes header (the canonical header bytes)         bytes = u32 length ‖ the bytes
 *   bytes proposerSignature (65 bytes, or empty)
 *   u32 n, n × bytes event (node/registry/codec.ts)
 *   u32 n, n × bytes evidence (node/chain/evidence.ts)                                (version 2)
 *   u32 n, n × bytes transaction (node/chain/transaction.ts)
 *   u8 hasElection, then bytes representatives (node/election/representative.ts) if 1
 *   u8 hasLastCommit, then bytes lastCommit (node/chain/certificate.ts) if 1        (version 2)
 *   u64 height, u32 round, bytes blockHash, u32 n, n × bytes signature (the commit certificate)
 */
export const STORED_BLOCK_VERSION = 2;

export function encodeStoredBlock(finalized: FinalizedBlock): Uint8Array {
  const w = new ByteWriter();
  w.uint8(STORED_BLOCK_VERSION);
  writeBlock(w, finalized.block);
  writeCertificate(w, finalized.certificate);
  return w.bytes();
}

/** Throws a RangeError (or the part's own decode error) for anything but a block this module wrote. */
export function decodeStoredBlock(bytes: Uint8Array): FinalizedBlock {
  const r = new ByteReader(bytes);
  const version = r.uint8();
  if (version !== STORED_BLOCK_VERSION) throw new RangeError(`stored block version ${version}`);
  const block = readBlock(r);
  const certificate = readCertificate(r);
  r.end();
  return { block, certificate };
}

function writeBlock(w: ByteWriter, block: Block): void {
  w.bytesOf(encodeHeader(block.header));
  w.hex(block.proposerSignature);
  w.list(block.body.events, (e) => w.bytesOf(encodeRegistryEvent(e)));
  w.list(block.body.evidence, (e) => w.bytesOf(encodeEvidence(e)));
  w.list(block.body.transactions, (tx) => w.bytesOf(encodeTransaction(tx)));
  const election = block.body.electionResult;
  w.uint8(election === null ? 0 : 1);
  if (election !== null) w.bytesOf(encodeRepresentatives(election));
  const lastCommit = block.body.lastCommit;
  w.uint8(lastCommit === null ? 0 : 1);
  if (lastCommit !== null) w.bytesOf(encodeCommitCertificate(lastCommit));
}

function readBlock(r: ByteReader): Block {
  const header = decodeHeader(r.bytesOf());
  const proposerSignature = r.hex();
  const events = r.list(() => decodeRegistryEvent(r.bytesOf()));
  const evidence = r.list(() => decodeEvidence(r.bytesOf()));
  const transactions = r.list(() => decodeTransaction(r.bytesOf()));
  const electionResult = r.uint8() === 1 ? decodeRepresentatives(r.bytesOf()) : null;
  const lastCommit = r.uint8() === 1 ? decodeCommitCertificate(r.bytesOf()) : null;
  return { header, body: { events, evidence, transactions, electionResult, lastCommit }, proposerSignature };
}

function writeCertificate(w: ByteWriter, c: CommitCertificate): void {
  w.uint64(c.height);
  w.uint32(c.round);
  w.hex(c.blockHash);
  w.list(c.signatures, (s) => w.hex(s));
}

function readCertificate(r: ByteReader): CommitCertificate {
  const height = r.uint64();
  const round = r.uint32();
  const blockHash: Hex = r.hex();
  const signatures = r.list(() => r.hex());
  return { height, round, blockHash, signatures };
}
