/** The K rule's inputs, as CandidateRegistry publishes them (its RepresentativeRule). */
export interface RepresentativeRule {
  readonly minRepresentatives: bigint;
  readonly maxRepresentatives: bigint;
  readonly candidatesPerSeat: bigint;
}

/**
 * K, the number of seats, as a published function of the candidate pool (the patent lets K follow
 * the network's size): min(max, max(min, ceil(eligible / candidatesPerSeat))), and
 * candidatesPerSeat = 0 means K = max. The same formula as CandidateRegistry.representativeCount.
 */
export function representativeCount(rule: RepresentativeRule, eligible: number | bigint): bigint {
  const { minRepresentatives: min, maxRepresentatives: max, candidatesPerSeat: perSeat } = rule;
  if (perSeat === 0n) return max;
  const pool = BigInt(eligible);
  const wanted = (pool + perSeat - 1n) / perSeat;
  const atLeastMin = wanted > min ? wanted : min;
  return atLeastMin < max ? atLeastMin : max;
}
