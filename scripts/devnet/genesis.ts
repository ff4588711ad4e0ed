import { readFileSync, writeFileSync } from "node:fs";
import { z } from "zod";
import { formatIssues } from "../../node/config/zodIssue";

/**
 * The devnet's genesis: who the first representatives are and where the epoch clock starts. The
 * epochs of the stand-in nodes (standInNode.ts) count L1 blocks from `l1AnchorBlock`; the L2 node
 * (`repchain init`) writes its own genesis.json from the same facts.
 */
const address = z.string().regex(/^0x[0-9a-f]{40}$/, "expected a lower-case 0x address");

export const devnetGenesisSchema = z.strictObject({
  chainId: z.number().int().positive(),
  /** The L1 block the epoch clock starts at (the block of the last genesis registration or vote). */
  l1AnchorBlock: z.number().int().nonnegative(),
  /** Blocks per epoch (L1 blocks for the stand-in nodes). */
  epochLength: z.number().int().min(2),
  targetBlockTimeMs: z.number().int().positive(),
  representatives: z.array(z.strictObject({ address, votes: z.string().regex(/^\d+$/) })).min(1),
});

export type DevnetGenesis = z.output<typeof devnetGenesisSchema>;

export function writeGenesis(path: string, genesis: DevnetGenesis): void {
  writeFileSync(path, JSON.stringify(devnetGenesisSchema.parse(genesis), null, 2) + "\n");
}

export function readGenesis(path: string): DevnetGenesis {
  const json: unknown = JSON.parse(readFileSync(path, "utf8"));
  const parsed = devnetGenesisSchema.safeParse(json);
  if (!parsed.success) throw new Error(`invalid genesis ${path}: ${formatIssues(parsed.error, json)}`);
  return parsed.data;
}
