import { z } from "zod";
import { RpcError, RpcErrorCode, defineMethod, type RpcMethod } from "./rpcMethod";
import type { NodeView } from "./nodeView";
import type { Address } from "../types/primitives";

const hash32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "expected a 32-byte 0x-hex hash");
const count = z.number().int().min(1).max(100);
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "a 20-byte 0x-hex address");

/** The node's JSON-RPC API (docs/rpc.md lists it), each method a thin, validated call into NodeView. */
export function nodeRpcMethods(view: NodeView): Record<string, RpcMethod> {
  return {
    repchain_status: defineMethod("height, epoch, role, peers, L1 cursor", z.tuple([]), () => view.status()),
    repchain_getBlock: defineMethod(
      "a finalized block with its commit certificate, by height or hash",
      z.tuple([z.union([z.number().int().nonnegative(), hash32])]),
      async ([key]) => found(await view.block(key), `no block ${key}`),
    ),
    repchain_getRecentBlocks: defineMethod(
      "summaries of the newest finalized blocks, newest first",
      z.tuple([count]),
      ([n]) => view.recentBlocks(n),
    ),
    repchain_getNonce: defineMethod(
      "the nonce an account's next transaction must carry (finalized chain; decimal string)",
      z.tuple([address]),
      ([account]) => view.nextNonce(account.toLowerCase() as Address),
    ),
    repchain_getTransaction: defineMethod("a transaction by hash", z.tuple([hash32]), async ([hash]) =>
      found(await view.transaction(hash), `no transaction ${hash}`),
    ),
    repchain_sendTransaction: defineMethod(
      "submits a signed transaction (0x-hex of its encoding)",
      z.tuple([
        z
          .string()
          .regex(/^0x([0-9a-fA-F]{2})+$/, "expected 0x-hex bytes")
          .max(262_144),
      ]),
      async ([raw]) => {
        try {
          return await view.sendTransaction(raw);
        } catch (err) {
          throw new RpcError(RpcErrorCode.Rejected, (err as Error).message);
        }
      },
    ),
    repchain_getRepresentatives: defineMethod(
      "the representatives of an epoch (default: the current one) with their votes",
      z.union([z.tuple([]), z.tuple([z.number().int().nonnegative()])]),
      ([epoch]) => found(view.representatives(epoch), `no representatives known for epoch ${epoch}`),
    ),
    repchain_getCandidates: defineMethod("the candidates with their vote counts at the head", z.tuple([]), () =>
      view.candidates(),
    ),
    repchain_getEvidence: defineMethod(
      "equivocation evidence: pooled count, jailed candidates, evidence in finalized blocks",
      z.tuple([]),
      () => view.evidence(),
    ),
    repchain_getLiveness: defineMethod(
      "the epoch's liveness and downtime record: signed commits per representative, keys alive, keys jailed",
      z.tuple([]),
      () => view.liveness(),
    ),
    repchain_getElections: defineMethod("the newest election results, newest first", z.tuple([count]), ([n]) =>
      view.elections(n),
    ),
  };
}

function found<T>(value: T | undefined, message: string): T {
  if (value === undefined) throw new RpcError(RpcErrorCode.NotFound, message);
  return value;
}
