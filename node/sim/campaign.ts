import type { LiarKind, SimOptions } from "./simulator";

/**
 * Short runs (1.2 s of chaos, 4.5 s calm): CI runs ≥ 1,000 of them; a campaign any number. The
 * liveness window is 4 s: after GST a Byzantine proposer and the locks it split can take a few
 * rounds of growing timeouts, until an honest proposer holding the locked value re-proposes it
 * (seed 239 needed five rounds, 2 s).
 */
export const SHORT_RUN = { chaosMs: 1200, calmMs: 4500, livenessWindowMs: 4000 } as const satisfies Partial<SimOptions>;

/**
 * Every adversary at once: one Byzantine representative, L1 reorgs within the confirmation depth,
 * clocks up to 1.5 s apart (the drift rule allows 2 s), and a lying sync peer of each kind in turn.
 */
export const ADVERSARIES = {
  byzantine: true,
  l1Reorgs: "within",
  maxClockSkewMs: 1500,
} as const satisfies Partial<SimOptions>;

const LIARS: readonly LiarKind[] = ["high", "next", "forged"];

/** The lying sync peer of seed `seed`'s run: each kind in turn. */
export function liarFor(seed: number): LiarKind {
  return LIARS[seed % LIARS.length];
}

/** A campaign's run of `seed`: every adversary, short or default length. */
export function campaignRun(seed: number, short: boolean): SimOptions {
  return { ...(short ? SHORT_RUN : {}), ...ADVERSARIES, lyingSyncPeer: liarFor(seed), seed };
}

/** The command that replays a campaign's run of `seed`. */
export function replayCommand(seed: number, short: boolean): string {
  return `npm run sim -- --seed ${seed}${short ? " --short" : ""}`;
}
