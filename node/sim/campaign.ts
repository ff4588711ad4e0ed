import type { LiarKind, SimOptions } from "./simulator";

/** Short runs (1.2 s of chaos, 2 s calm): CI runs ≥ 1,000 of them; a campaign any number. */
export const SHORT_RUN = { chaosMs: 1200, calmMs: 2000, livenessWindowMs: 1800 } as const satisfies Partial<SimOptions>;

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
