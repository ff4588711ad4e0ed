import type { ElectionRecord, NodeStatus } from "./nodeView";

/** Representatives and elections as they travel over JSON-RPC (bigints become decimal strings). */
export interface WireStanding {
  readonly address: string;
  readonly votes: string;
}
export type WireElection = Omit<ElectionRecord, "representatives"> & { representatives: WireStanding[] };

/** A small client of a node's JSON-RPC API (docs/rpc.md), as the terminal view and the story use it. */
export class NodeRpcClient {
  private nextId = 1;

  constructor(
    readonly url: string,
    private readonly timeoutMs = 3_000,
  ) {}

  async call<T>(method: string, params: unknown[] = []): Promise<T> {
    const res = await fetch(this.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: this.nextId++, method, params }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const body = (await res.json()) as { result?: T; error?: { code: number; message: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message} (${body.error.code})`);
    return body.result as T;
  }

  status(): Promise<NodeStatus> {
    return this.call("repchain_status");
  }

  representatives(): Promise<WireStanding[]> {
    return this.call("repchain_getRepresentatives");
  }

  elections(count: number): Promise<WireElection[]> {
    return this.call("repchain_getElections", [count]);
  }
}
