import type { VotingTokenDisplay } from "../rpc/nodeView";
import { L1Error, L1ErrorCode } from "./errors";
import type { RpcTransport } from "./rpc";

/** bytes4(keccak256(…)) of ERC-20's optional metadata getters (test/l1/tokenDisplay.test.ts checks them). */
export const SYMBOL_SELECTOR = "0x95d89b41";
export const DECIMALS_SELECTOR = "0x313ce567";

const WORD = 64;

/** An ABI `string` answer, or a bytes32 one (older tokens); undefined when it is neither. */
function decodeSymbol(answer: string): string | undefined {
  const hex = answer.slice(2);
  if (hex.length === WORD) return Buffer.from(hex, "hex").toString("utf8").replace(/\0+$/, "") || undefined;
  if (hex.length < 2 * WORD || BigInt(`0x${hex.slice(0, WORD)}`) !== 32n) return undefined;
  const length = Number(BigInt(`0x${hex.slice(WORD, 2 * WORD)}`));
  if (hex.length < 2 * WORD + 2 * length) return undefined;
  return Buffer.from(hex.slice(2 * WORD, 2 * WORD + 2 * length), "hex").toString("utf8") || undefined;
}

function decodeDecimals(answer: string): number | undefined {
  if (!/^0x[0-9a-fA-F]{64}$/.test(answer)) return undefined;
  const value = BigInt(answer);
  return value <= 255n ? Number(value) : undefined;
}

/** eth_call of a getter; undefined when the contract has none (a revert, or no code). */
async function callGetter(rpc: RpcTransport, to: string, data: string): Promise<string | undefined> {
  try {
    const answer = await rpc.call<string>("eth_call", [{ to, data }, "latest"]);
    return answer === "0x" ? undefined : answer;
  } catch (err) {
    if (
      err instanceof L1Error &&
      err.type.code === L1ErrorCode.RPC_ERROR_RESPONSE &&
      /revert/i.test(err.type.rpcMessage)
    ) {
      return undefined;
    }
    throw err;
  }
}

/**
 * The voting token's symbol and decimals, which the dashboard shows amounts in (`1,234.5 RVOTE`). ERC-5805
 * does not require them, so a token without them has none (the dashboard then shows raw token units). Read
 * once: a failure of the RPC (L1 not reachable yet) leaves it unknown and the next `read` tries again.
 */
export class TokenDisplayReader {
  private known: VotingTokenDisplay | undefined;
  private settled = false;
  private reading = false;

  constructor(
    private readonly rpc: RpcTransport,
    private readonly address: string,
  ) {}

  get display(): VotingTokenDisplay | undefined {
    return this.known;
  }

  async read(): Promise<void> {
    if (this.settled || this.reading) return;
    this.reading = true;
    try {
      const [symbol, decimals] = await Promise.all([
        callGetter(this.rpc, this.address, SYMBOL_SELECTOR).then((a) =>
          a === undefined ? undefined : decodeSymbol(a),
        ),
        callGetter(this.rpc, this.address, DECIMALS_SELECTOR).then((a) =>
          a === undefined ? undefined : decodeDecimals(a),
        ),
      ]);
      this.settled = true;
      if (symbol !== undefined && decimals !== undefined) this.known = { address: this.address, symbol, decimals };
    } catch {
      // Not settled: the next read asks again.
    } finally {
      this.reading = false;
    }
  }
}
