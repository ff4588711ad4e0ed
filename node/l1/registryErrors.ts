import { type ErrorDescription, Interface, type InterfaceAbi } from "ethers";
// The factory files themselves (see registries.ts for why not the typechain-types index).
import { AuditorRegistry__factory } from "../../typechain-types/factories/contracts/AuditorRegistry__factory";
import { CandidateRegistry__factory } from "../../typechain-types/factories/contracts/CandidateRegistry__factory";
import { VoteRegistry__factory } from "../../typechain-types/factories/contracts/VoteRegistry__factory";

/**
 * Every custom error the registries (and what they inherit: Ownable, ReentrancyGuard…) can revert
 * with, from the compiled ABIs. A revert reaches us as 4-byte selector + ABI-encoded arguments;
 * Hardhat decodes it only for contracts it compiled in the same process (its stack traces), so over
 * plain JSON-RPC to another node a user saw `unrecognized custom error (return data: 0xf1001f34…)`.
 * Decoding here from the ABI works on every network and every path (tasks, apply, logs).
 */
const REGISTRY_ERRORS = new Interface(
  dedupe(
    [AuditorRegistry__factory.abi, CandidateRegistry__factory.abi, VoteRegistry__factory.abi].flatMap((abi) =>
      (abi as readonly { type: string; name?: string }[]).filter((item) => item.type === "error"),
    ),
  ) as InterfaceAbi,
);

const HEX_DATA = /^0x(?:[0-9a-fA-F]{2}){4,}$/;
const MAX_DEPTH = 8;

/** `VoteRegistryNotCandidate(0xab…)` for revert data of a registry error; undefined for anything else. */
export function describeRevertData(data: string): string | undefined {
  if (!HEX_DATA.test(data)) return undefined;
  let parsed: ErrorDescription | null;
  try {
    parsed = REGISTRY_ERRORS.parseError(data);
  } catch {
    return undefined;
  }
  if (parsed === null) return undefined;
  return `${parsed.name}(${parsed.args.map(formatArg).join(", ")})`;
}

/**
 * The registry error inside `err`, however it was wrapped: ethers' CALL_EXCEPTION (`data`,
 * `info.error.data`), Hardhat's ProviderError (`data`), a JSON-RPC error object, or only the
 * message ("return data: 0x…"). Undefined when `err` carries no registry revert.
 */
export function registryErrorOf(err: unknown): string | undefined {
  for (const data of revertDataCandidates(err, 0)) {
    const described = describeRevertData(data);
    if (described !== undefined) return described;
  }
  return undefined;
}

/** `err` again, its message led by the decoded registry error when there is one. */
export function explainRegistryError(err: unknown, action: string): Error {
  const decoded = registryErrorOf(err);
  if (decoded === undefined) return err instanceof Error ? err : new Error(String(err));
  return new Error(`${action} reverted: ${decoded}`, { cause: err });
}

function* revertDataCandidates(value: unknown, depth: number): Generator<string> {
  if (depth > MAX_DEPTH || value === null || value === undefined) return;
  if (typeof value === "string") {
    if (HEX_DATA.test(value)) yield value;
    for (const match of value.matchAll(/0x[0-9a-fA-F]{8,}/g)) yield match[0];
    return;
  }
  if (typeof value !== "object") return;
  const record = value as Record<string, unknown>;
  for (const key of ["data", "info", "error", "cause", "revert", "message", "shortMessage", "body"]) {
    if (key in record) yield* revertDataCandidates(record[key], depth + 1);
  }
}

function formatArg(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return `[${value.map(formatArg).join(", ")}]`;
  return String(value);
}

function dedupe<T extends { type: string; name?: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = JSON.stringify(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
