import type { FinalizedBlock } from "../chain/types";
import {
  SyncMachine,
  type BlocksResponse,
  type ImportVerdict,
  type SyncEffect,
  type SyncFault,
  type SyncSettings,
} from "./syncMachine";

type BlockRequest = Extract<SyncEffect, { type: "requestBlocks" }>;

/** What the sync driver needs from its host. Each request's answer comes back through the driver. */
export interface SyncPorts {
  /** Ask `peer` its finalized height; answer with SyncDriver.onStatus. */
  requestStatus(peer: string): void;
  /** Ask `peer` for blocks; answer with SyncDriver.onBlocks (also on failure). */
  requestBlocks(peer: string, request: BlockRequest): void;
  /** Verify and apply a block through the consensus driver; call `done` with the verdict (now or later). */
  importBlock(peer: string, finalized: FinalizedBlock, done: (verdict: ImportVerdict, reason: string) => void): void;
  penalise(peer: string, fault: SyncFault, reason: string): void;
  now(): number;
}

/**
 * Runs the SyncMachine's effects through ports: the node (node/validator/syncer.ts, P2P
 * request/response and a timer) and the simulator (simulated network and time) host this same
 * driver, so the catch-up path the simulator checks is the one the node runs.
 */
export class SyncDriver {
  readonly machine: SyncMachine;
  private running = false;
  private readonly queue: SyncEffect[] = [];

  constructor(
    settings: SyncSettings,
    head: number,
    private readonly ports: SyncPorts,
  ) {
    this.machine = new SyncMachine(settings, head);
  }

  addPeer(peer: string): void {
    this.run(this.machine.addPeer(peer, this.ports.now()));
  }

  removePeer(peer: string): void {
    this.run(this.machine.removePeer(peer, this.ports.now()));
  }

  tick(): void {
    this.run(this.machine.tick(this.ports.now()));
  }

  onStatus(peer: string, height: unknown): void {
    this.run(this.machine.onStatus(peer, height, this.ports.now()));
  }

  onBlocks(peer: string, id: number, response: BlocksResponse): void {
    this.run(this.machine.onBlocks(peer, id, response, this.ports.now()));
  }

  /** The chain moved on without sync (consensus decided, a gossiped commit). */
  onHead(height: number): void {
    this.run(this.machine.onHead(height, this.ports.now()));
  }

  /** Executes effects in order; effects produced meanwhile (a synchronous import) join the queue. */
  private run(effects: readonly SyncEffect[]): void {
    this.queue.push(...effects);
    if (this.running) return;
    this.running = true;
    try {
      for (let effect = this.queue.shift(); effect !== undefined; effect = this.queue.shift()) this.execute(effect);
    } finally {
      this.running = false;
    }
  }

  private execute(effect: SyncEffect): void {
    switch (effect.type) {
      case "requestStatus":
        this.ports.requestStatus(effect.peer);
        break;
      case "requestBlocks":
        this.ports.requestBlocks(effect.peer, effect);
        break;
      case "import": {
        const height = effect.finalized.block.header.height;
        this.ports.importBlock(effect.peer, effect.finalized, (verdict, reason) =>
          this.run(this.machine.onImported(height, verdict, reason, this.ports.now())),
        );
        break;
      }
      case "penalise":
        this.ports.penalise(effect.peer, effect.fault, effect.reason);
        break;
    }
  }
}
