import { createChainState } from "../../node/chain/chainState";
import { RegistryMirror } from "../../node/chain/registryView";
import type { KeyPair } from "../../node/chain/signing";
import type { FinalizedBlock } from "../../node/chain/types";
import type { ConsensusMessage } from "../../node/consensus/messages";
import { SignGuard } from "../../node/consensus/signGuard";
import { MemorySignStateStore } from "../../node/consensus/signState";
import { ValidatorCore, type Effect, type ValidatorDeps } from "../../node/consensus/validator";
import { mineSync } from "../../node/sim/instantMiner";
import type { Fixture } from "../../node/testing/chainFixture";

const TIMEOUTS = { proposeMs: 1000, prevoteMs: 500, precommitMs: 500, roundDeltaMs: 100 };

/** N cores on a lossless, in-order, synchronous network; mining is instant; timers never fire. */
export class Cluster {
  readonly cores: ValidatorCore[];
  readonly stored: FinalizedBlock[][];
  readonly invalid: Effect[] = [];
  /** Every broadcast message, in order (tests of the wire format use them). */
  readonly sent: ConsensusMessage[] = [];
  queue: { to: number; from: number; message: ConsensusMessage }[] = [];
  nowMs: number;

  constructor(
    readonly f: Fixture,
    keys: (KeyPair | null)[],
    /** Extra dependencies of core i (a test-only switch, a pool). */
    extra: (i: number) => Partial<ValidatorDeps> = () => ({}),
  ) {
    this.nowMs = f.genesis.timestamp + 1000;
    this.stored = keys.map(() => []);
    this.cores = keys.map(
      (key, i) =>
        new ValidatorCore({
          config: f.config,
          state: createChainState(f.config, new RegistryMirror()),
          source: f.l1,
          guard: key ? new SignGuard(key, new MemorySignStateStore()) : null,
          timeouts: TIMEOUTS,
          ...extra(i),
        }),
    );
  }

  start(): void {
    this.cores.forEach((core, i) => this.apply(i, core.start(this.nowMs)));
  }

  apply(i: number, effects: Effect[]): void {
    for (const e of effects) {
      if (e.type === "broadcast") this.sent.push(e.message);
      if (e.type === "broadcast")
        this.cores.forEach((_, j) => j !== i && this.queue.push({ to: j, from: i, message: e.message }));
      else if (e.type === "finalized") this.stored[i].push(e.finalized);
      else if (e.type === "invalid") this.invalid.push(e);
      else if (e.type === "mine") {
        const header = mineSync(e.header, 1_000_000)!;
        this.nowMs += 10;
        this.apply(i, this.cores[i].onMined(e.height, e.round, header, e.body, this.nowMs));
      }
    }
  }

  /** Delivers until quiet or `maxSteps`. */
  run(maxSteps = 20_000): void {
    for (let step = 0; step < maxSteps && this.queue.length > 0; step++) {
      const { to, from, message } = this.queue.shift()!;
      this.nowMs += 1;
      this.apply(to, this.cores[to].onMessage(message, String(from), this.nowMs));
      if (this.cores.every((c) => c.state.height >= 5)) return;
    }
  }

  deliver(to: number, message: ConsensusMessage): Effect[] {
    return this.cores[to].onMessage(message, "99", this.nowMs);
  }
}
