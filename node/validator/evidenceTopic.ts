import { decodeEvidence, MAX_EVIDENCE_BYTES } from "../chain/evidence";
import type { Verdict } from "../consensus/consensusDriver";
import type { Logger } from "../log";
import type { PeerInfo } from "../p2p/peer";
import { TokenBucket } from "../p2p/tokenBucket";

/**
 * Evidence one peer may hand us per second (burst: twice that). An honest peer forwards one piece
 * per offence, and offences are rare; more is a flood, dropped unread beyond the bucket (IGNORE:
 * not verified, not forwarded), on top of the P2P layer's per-peer limits.
 */
export const EVIDENCE_PER_PEER_PER_S = 10;
/** Peers whose buckets are kept; the oldest is forgotten first (a forgotten peer starts full). */
const MAX_TRACKED_PEERS = 1024;

/**
 * The evidence topic's validator: size first, then the per-peer rate, then the canonical decode
 * (REJECT: the sender built or forwarded bytes no honest node sends), then the pool's verification
 * (signatures, set, chain id, age: REJECT if it proves nothing, IGNORE if it is known or spent).
 * Only ACCEPTed evidence is forwarded, so forged evidence never travels past the first honest node.
 */
export function evidenceTopicHandler(
  submit: (evidence: ReturnType<typeof decodeEvidence>) => { verdict: Verdict; reason: string },
  log: Logger,
  nowMs: () => number = Date.now,
): (data: Uint8Array, from: PeerInfo) => Verdict {
  const buckets = new Map<string, TokenBucket>();
  const bucketOf = (peer: string): TokenBucket => {
    let bucket = buckets.get(peer);
    if (bucket === undefined) {
      if (buckets.size >= MAX_TRACKED_PEERS) buckets.delete(buckets.keys().next().value!);
      bucket = new TokenBucket(2 * EVIDENCE_PER_PEER_PER_S, EVIDENCE_PER_PEER_PER_S, nowMs());
      buckets.set(peer, bucket);
    }
    return bucket;
  };
  return (data, from) => {
    if (data.length > MAX_EVIDENCE_BYTES) {
      log.warn({ from: from.nodeId, bytes: data.length }, "evidence refused: larger than any evidence");
      return "reject";
    }
    if (!bucketOf(from.nodeId).take(1, nowMs())) return "ignore";
    let evidence;
    try {
      evidence = decodeEvidence(data);
    } catch (err) {
      log.warn({ from: from.nodeId, err: (err as Error).message }, "evidence refused: malformed");
      return "reject";
    }
    const { verdict, reason } = submit(evidence);
    if (verdict === "reject") log.warn({ from: from.nodeId, reason }, "evidence refused: it proves nothing");
    else if (verdict === "accept") {
      log.warn({ from: from.nodeId, kind: evidence.kind, signer: evidence.signer }, "equivocation evidence received");
    }
    return verdict;
  };
}
