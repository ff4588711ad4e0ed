import type { DriverPorts } from "../consensus/consensusDriver";

/** Driver ports that do nothing (time stands still, nothing is sent) except what `overrides` give; a core bug throws. */
export function quietPorts(overrides: Partial<DriverPorts> = {}): DriverPorts {
  return {
    now: () => 0,
    schedule: () => undefined,
    prepare: () => undefined,
    publish: () => undefined,
    publishTransaction: () => undefined,
    mine: () => undefined,
    cancelMining: () => undefined,
    applied: () => undefined,
    refused: () => undefined,
    equivocation: () => undefined,
    publishEvidence: () => undefined,
    bug: (err) => {
      throw err;
    },
    ...overrides,
  };
}
