/**
 * Makes the in-process Hardhat network deploy other code than the compiled artifacts hold, whatever deploys it
 * (typechain factories embed the artifact's bytecode, Ignition and getContractFactory read the artifacts):
 * every transaction, call or gas estimate sent through `hre.network.provider` without a `to` whose data begins
 * with an artifact's creation code gets that prefix replaced (the constructor arguments follow it unchanged).
 * Transactions signed elsewhere (eth_sendRawTransaction) or sent to another process are not rewritten; the
 * campaign counts the rewrites, so a test run that deployed nothing swapped is never taken for a survivor.
 */
import type { EIP1193Provider, RequestArguments } from "hardhat/types";

export interface Swap {
  contract: string;
  /** The artifact's creation bytecode ("0x…", lowercase). */
  original: string;
  /** The code deployed instead. */
  replacement: string;
}

interface TransactionLike {
  to?: string | null;
  data?: string;
  input?: string;
}

const REWRITTEN_METHODS = new Set(["eth_sendTransaction", "eth_estimateGas", "eth_call"]);

export class BytecodeSwapper {
  private swaps: Swap[] = [];
  /** How many deploys (and their estimates and calls) were rewritten, by contract, since the last `use`. */
  readonly deployed = new Map<string, number>();

  constructor(provider: EIP1193Provider & { send?(method: string, params?: unknown[]): Promise<unknown> }) {
    const request = provider.request.bind(provider);
    provider.request = (args: RequestArguments) => request(this.rewrite(args));
    if (provider.send) {
      const send = provider.send.bind(provider);
      provider.send = (method: string, params?: unknown[]) => {
        const rewritten = this.rewrite({ method, params });
        return send(rewritten.method, rewritten.params as unknown[] | undefined);
      };
    }
  }

  /** Replaces the swaps in force and resets the counts. */
  use(swaps: Swap[]): void {
    this.swaps = swaps.map((s) => ({ ...s, original: s.original.toLowerCase() }));
    this.deployed.clear();
  }

  private rewrite(args: RequestArguments): RequestArguments {
    if (!REWRITTEN_METHODS.has(args.method) || !Array.isArray(args.params)) return args;
    const [tx, ...rest] = args.params as [TransactionLike, ...unknown[]];
    if (typeof tx !== "object" || tx === null || (tx.to !== undefined && tx.to !== null)) return args;
    const field = tx.data !== undefined ? "data" : "input";
    const data = tx[field]?.toLowerCase();
    const swap = data === undefined ? undefined : this.swaps.find((s) => data.startsWith(s.original));
    if (swap === undefined || data === undefined) return args;
    this.deployed.set(swap.contract, (this.deployed.get(swap.contract) ?? 0) + 1);
    const swapped = swap.replacement + data.slice(swap.original.length);
    return { method: args.method, params: [{ ...tx, [field]: swapped }, ...rest] };
  }
}
