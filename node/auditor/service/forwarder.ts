import type { Logger } from "../../log";
import type { SignedApplication } from "../application";
import { AuditorClient, AuditorHttpError } from "../client/client";
import { AuditorErrorCode } from "../errors";

export type ForwardOutcome = "delivered" | "already-known" | "refused" | "no-answer";

/**
 * Sends an application received by this auditor on to its peers, each of which reviews it on its
 * own. Forwarding happens in the background: the applicant's request does not wait for the peers,
 * and a dead peer costs only its timeout. The forwarded copy is marked so that peers do not forward
 * it again (no loops between auditors that list each other).
 */
export class Forwarder {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly peers: readonly AuditorClient[],
    private readonly log: Logger,
  ) {}

  forward(signed: SignedApplication): void {
    if (this.peers.length === 0) return;
    const work = this.forwardNow(signed).finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  /** Forwards to every peer at once and reports what each did. */
  async forwardNow(signed: SignedApplication): Promise<Map<string, ForwardOutcome>> {
    const outcomes = await Promise.all(this.peers.map((peer) => this.forwardTo(peer, signed)));
    return new Map(this.peers.map((peer, i) => [peer.baseUrl, outcomes[i]]));
  }

  /** Waits for forwards still running (used when the service stops). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private async forwardTo(peer: AuditorClient, signed: SignedApplication): Promise<ForwardOutcome> {
    const candidate = signed.application.candidate;
    try {
      await peer.submit(signed, true);
      this.log.info({ peer: peer.baseUrl, candidate }, "application forwarded");
      return "delivered";
    } catch (err) {
      if (err instanceof AuditorHttpError && err.code === AuditorErrorCode.REPLAYED) return "already-known";
      if (err instanceof AuditorHttpError) {
        this.log.warn({ peer: peer.baseUrl, candidate, status: err.status, err: err.message }, "peer refused");
        return "refused";
      }
      this.log.warn({ peer: peer.baseUrl, candidate, err: (err as Error).message }, "peer did not answer");
      return "no-answer";
    }
  }
}
