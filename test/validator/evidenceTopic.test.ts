import { expect } from "chai";
import pino from "pino";
import { encodeEvidence } from "../../node/chain/evidence";
import { EvidencePool } from "../../node/chain/evidencePool";
import { EVIDENCE_PER_PEER_PER_S, evidenceTopicHandler } from "../../node/validator/evidenceTopic";
import { fixture } from "../../node/testing/chainFixture";
import { doubleVote } from "../../node/testing/evidence";

describe("evidence topic: per-peer rate limit", () => {
  it("a peer flooding valid-looking evidence gets 2 × the per-second rate verified, the rest dropped unread; others are unaffected", () => {
    const f = fixture();
    const pool = new EvidencePool(f.config);
    let verified = 0;
    let now = 0;
    const handle = evidenceTopicHandler(
      (e) => {
        verified++;
        const admission = pool.add(f.state, e);
        return admission.verdict === "accept" ? { verdict: "accept", reason: "" } : admission;
      },
      pino({ level: "silent" }),
      () => now,
    );
    const flooder = { nodeId: "flooder", direction: "inbound" as const };
    // Distinct evidence of one equivocating key (one offence: the pool keeps the first only).
    const flood = Array.from({ length: 50 }, (_, round) => encodeEvidence(doubleVote(f, f.keys[1], { round })));
    const verdicts = flood.map((bytes) => handle(bytes, flooder));
    const burst = 2 * EVIDENCE_PER_PEER_PER_S;
    expect(verified).to.equal(burst);
    expect(verdicts.slice(0, 2)).to.deep.equal(["accept", "ignore"]); // the second is the same offence
    expect(verdicts.slice(burst)).to.deep.equal(new Array(50 - burst).fill("ignore"));
    expect(pool.size).to.equal(1);
    // Another peer has its own bucket.
    expect(handle(encodeEvidence(doubleVote(f, f.keys[2])), { nodeId: "other", direction: "inbound" })).to.equal(
      "accept",
    );
    // One second later the flooder may send EVIDENCE_PER_PEER_PER_S more.
    now += 1000;
    verified = 0;
    flood.forEach((bytes) => handle(bytes, flooder));
    expect(verified).to.equal(EVIDENCE_PER_PEER_PER_S);
  });
});
