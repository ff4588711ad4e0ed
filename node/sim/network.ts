import type { Prng } from "./prng";

/** How the simulated network misbehaves right now; the simulator changes it over time. */
export interface NetworkConditions {
  dropProbability: number;
  duplicateProbability: number;
  delayMsMin: number;
  delayMsMax: number;
  /** partition[i] = group of node i; messages cross groups never. Null: fully connected. */
  partition: number[] | null;
}

export const CALM_NETWORK: Readonly<NetworkConditions> = {
  dropProbability: 0,
  duplicateProbability: 0.02,
  delayMsMin: 1,
  delayMsMax: 40,
  partition: null,
};

/**
 * Decides the fate of each message: dropped, or delivered once or twice after random delays
 * (independent delays reorder messages). Pure decisions from the shared PRNG; the simulator
 * schedules the deliveries.
 */
export class SimNetwork {
  conditions: NetworkConditions = { ...CALM_NETWORK };
  /** A node cut off from all others regardless of the conditions (SimOptions.isolate), or null. */
  isolated: number | null = null;

  constructor(private readonly prng: Prng) {}

  /** Delivery delays (ms) for one message from `from` to `to`: [] if dropped. */
  deliveries(from: number, to: number): number[] {
    const c = this.conditions;
    if (this.isolated === from || this.isolated === to) return [];
    if (c.partition !== null && c.partition[from] !== c.partition[to]) return [];
    if (this.prng.chance(c.dropProbability)) return [];
    const delays = [this.prng.int(c.delayMsMin, c.delayMsMax)];
    if (this.prng.chance(c.duplicateProbability)) delays.push(this.prng.int(c.delayMsMin, c.delayMsMax));
    return delays;
  }

  /** A random split of `n` nodes into two non-empty groups. */
  randomPartition(n: number): number[] {
    const groups = Array.from({ length: n }, () => this.prng.int(0, 1));
    if (groups.every((g) => g === groups[0])) groups[this.prng.int(0, n - 1)] ^= 1;
    return groups;
  }
}
