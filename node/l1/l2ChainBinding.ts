import { L1Error, L1ErrorCode } from "./errors";
import type { RpcTransport } from "./rpc";

/**
 * The selector of CandidateRegistry's `l2ChainId() returns (uint64)`: bytes4(keccak256("l2ChainId()")),
 * written out so the follower loads no ABI coder for one getter (test/l1/l2ChainBinding.test.ts checks it
 * against the compiled ABI).
 */
export const L2_CHAIN_ID_SELECTOR = "0xd6ae3cd5";

/**
 * Checks the contract, not the deployment file: the CandidateRegistry at `candidateRegistry` must answer
 * `l2ChainId()` with `expected`, the L2 chain id this node signs its votes for. A registry bound to another
 * L2 chain could never slash this chain's equivocations, and a deployment file that names another chain's
 * registries (or was edited by hand) would make the node follow the wrong governance. Halts with
 * WRONG_L2_CHAIN on a mismatch or when no registry answers there; a transient RPC failure stays retryable.
 */
export async function checkL2ChainBinding(
  rpc: RpcTransport,
  candidateRegistry: string,
  expected: number,
): Promise<void> {
  let actual: number | null;
  try {
    const answer = await rpc.call<string>("eth_call", [
      { to: candidateRegistry, data: L2_CHAIN_ID_SELECTOR },
      "latest",
    ]);
    // One ABI word holding a uint64; anything else is not this registry's getter.
    actual = /^0x[0-9a-fA-F]{64}$/.test(answer) && BigInt(answer) < 2n ** 64n ? Number(BigInt(answer)) : null;
  } catch (err) {
    // A revert means the contract there has no l2ChainId(): not a registry of this kind. Anything else
    // (a timeout, a rate limit) is the RPC's, and the follower retries it.
    const reverted =
      err instanceof L1Error && err.type.code === L1ErrorCode.RPC_ERROR_RESPONSE && /revert/i.test(err.type.rpcMessage);
    if (!reverted) throw err;
    actual = null;
  }
  if (actual === expected) return;
  const type = { code: L1ErrorCode.WRONG_L2_CHAIN, candidateRegistry, expected, actual } as const;
  const found =
    actual === null
      ? `no CandidateRegistry answers l2ChainId() at ${candidateRegistry}`
      : `the CandidateRegistry at ${candidateRegistry} is bound to L2 chain id ${actual}`;
  throw new L1Error(
    type,
    `${type.code}: ${found}, but the deployment file and the genesis say L2 chain id ${expected}. ` +
      "The deployment file does not describe this L1's registries: use the one the deploy wrote for this L1.",
  );
}
