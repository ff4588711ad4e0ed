/**
 * JSON for chain objects, which hold bigints (chain id, PoW target, nonces, deposits). A bigint is
 * written as {"$bigint": "<decimal>"} — an object no chain type has — so parsing restores exactly
 * the value written, and no string field can be mistaken for a number.
 */
export function stringifyChainJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? { $bigint: v.toString() } : v));
}

export function parseChainJson(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const big = (v as { $bigint?: unknown }).$bigint;
      if (keys.length === 1 && typeof big === "string" && /^-?[0-9]+$/.test(big)) return BigInt(big);
    }
    return v;
  });
}
