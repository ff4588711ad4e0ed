/**
 * The registries' deployment parameters, one row each (docs/deploy.md has the table). A row names
 * the Ignition parameter (`minDepositWei`), and from it the `deploy` task's flag
 * (`--min-deposit-wei`) and the environment variable of `hardhat run scripts/deploy.ts`
 * (`REPCHAIN_MIN_DEPOSIT_WEI`): units are in the names. A new constructor parameter is one row here
 * and one name in the constructor's argument list in modules/Registries.ts.
 */
import { getAddress, isAddress } from "ethers";

/** How a parameter is written on the command line or in the environment. */
export type ParameterKind = "address" | "addresses" | "uint";

export interface RegistryParameter {
  readonly kind: ParameterKind;
  /** The default; `"deployer"` is the deploying account. */
  readonly default: bigint | string | readonly string[];
  readonly meaning: string;
}

export const REGISTRY_PARAMETERS = {
  owner: { kind: "address", default: "deployer", meaning: "owns the three registries" },
  auditors: { kind: "addresses", default: [], meaning: "the initial auditors (comma-separated on a command line)" },
  threshold: { kind: "uint", default: 1n, meaning: "M: auditor signatures a credential needs" },
  minDepositWei: { kind: "uint", default: 10n ** 18n, meaning: "the least deposit a candidate escrows, in wei" },
  unbondingPeriodSeconds: { kind: "uint", default: 604_800n, meaning: "seconds from a removal to its refund" },
  minRepresentatives: { kind: "uint", default: 21n, meaning: "K rule: the fewest representatives" },
  maxRepresentatives: { kind: "uint", default: 21n, meaning: "K rule: the most representatives" },
  candidatesPerSeat: {
    kind: "uint",
    default: 0n,
    meaning: "K rule: K = min(max, max(min, ceil(eligible / this))); 0 means K = max",
  },
  slashFractionBasisPoints: { kind: "uint", default: 500n, meaning: "share of a deposit an equivocation costs" },
  l2ChainId: { kind: "uint", default: 1337n, meaning: "the L2 genesis chain id whose votes prove equivocation" },
  treasury: {
    kind: "address",
    default: "0x0000000000000000000000000000000000000000",
    meaning: "receives slashed amounts minus the submitter's 10% (0x0: burned)",
  },
  votingToken: {
    kind: "address",
    default: "0x0000000000000000000000000000000000000000",
    meaning: "an existing ERC-5805 (IVotes) token weighing the votes (0x0: deploy the project's VotingToken)",
  },
} as const satisfies Record<string, RegistryParameter>;

export type RegistryParameterName = keyof typeof REGISTRY_PARAMETERS;
/** Values as Ignition takes them: bigints, checksummed addresses, address lists. */
export type RegistryParameterValues = { [N in RegistryParameterName]?: bigint | string | string[] };

/** Environment variables that were renamed to say their unit: refused, so a stale script fails loudly. */
const RENAMED_VARIABLES: Record<string, string> = {
  REPCHAIN_MIN_DEPOSIT: "REPCHAIN_MIN_DEPOSIT_WEI",
  REPCHAIN_UNBONDING_PERIOD: "REPCHAIN_UNBONDING_PERIOD_SECONDS",
  REPCHAIN_REPRESENTATIVE_COUNT: "REPCHAIN_MIN_REPRESENTATIVES and REPCHAIN_MAX_REPRESENTATIVES (the K rule)",
};

/** `minDepositWei` → `REPCHAIN_MIN_DEPOSIT_WEI`. */
export function environmentVariable(name: RegistryParameterName): string {
  return `REPCHAIN_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/** `minDepositWei` → `--min-deposit-wei` (Hardhat derives the flag from the task parameter's name). */
export function taskFlag(name: RegistryParameterName): string {
  return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** A bad deployment parameter: the message names the flag or variable, what was given and what is expected. */
export class DeployParameterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeployParameterError";
  }

  static expected(source: string, given: string, expected: string): DeployParameterError {
    return new DeployParameterError(`${source}: expected ${expected}, got ${JSON.stringify(given)}`);
  }
}

/** Parses one parameter written as text; `source` (a flag or a variable) names it in the error. */
export function parseParameter(name: RegistryParameterName, text: string, source: string): bigint | string | string[] {
  const kind: ParameterKind = REGISTRY_PARAMETERS[name].kind;
  const address = (s: string) => {
    if (!isAddress(s)) throw DeployParameterError.expected(source, text, "a 0x address (20 bytes of hex)");
    return getAddress(s);
  };
  if (kind === "address") return address(text.trim());
  if (kind === "addresses")
    return text
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "")
      .map(address);
  if (!/^\d+$/.test(text.trim())) throw DeployParameterError.expected(source, text, "a whole number (digits only)");
  return BigInt(text.trim());
}

/** The parameters set in `env` (REPCHAIN_*); the others keep their defaults. */
export function parametersFromEnvironment(env: NodeJS.ProcessEnv): RegistryParameterValues {
  for (const [old, renamed] of Object.entries(RENAMED_VARIABLES)) {
    if (env[old] !== undefined) {
      throw new DeployParameterError(`${old} was renamed ${renamed} (the unit is in the name); set that instead`);
    }
  }
  const values: RegistryParameterValues = {};
  for (const name of Object.keys(REGISTRY_PARAMETERS) as RegistryParameterName[]) {
    const variable = environmentVariable(name);
    const text = env[variable];
    if (text !== undefined && text !== "") values[name] = parseParameter(name, text, variable);
  }
  return values;
}

/** The parameters given as task flags (strings, absent when not given). */
export function parametersFromFlags(flags: Record<string, unknown>): RegistryParameterValues {
  const values: RegistryParameterValues = {};
  for (const name of Object.keys(REGISTRY_PARAMETERS) as RegistryParameterName[]) {
    const text = flags[name];
    if (typeof text === "string" && text !== "") values[name] = parseParameter(name, text, taskFlag(name));
  }
  return values;
}
