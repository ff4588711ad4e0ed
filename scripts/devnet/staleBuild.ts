import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** What the devnet runs from dist/: the node, the devnet itself, and the contracts' typechain bindings. */
const SOURCES = ["node", "scripts/devnet", "scripts/devnet.ts", "scripts/deploy.ts", "contracts"];

/**
 * The devnet and its nodes run the build, not the sources: says so when a source file changed after
 * the last `npm run build`, which would otherwise run old code without a word.
 */
export function warnIfBuildIsStale(root: string, say: (line: string) => void): void {
  const built = join(root, "dist", ".tsbuildinfo");
  if (!existsSync(built)) return say("warning: no build in dist/: run `npm run build`");
  const builtAt = statSync(built).mtimeMs;
  const newer = SOURCES.flatMap((s) => [...files(join(root, s))]).find((f) => statSync(f).mtimeMs > builtAt);
  if (newer) say(`warning: ${newer} changed after the last build; run \`npm run build\` to run it`);
}

function* files(path: string): Generator<string> {
  if (!existsSync(path)) return;
  if (!statSync(path).isDirectory()) return yield path;
  for (const entry of readdirSync(path)) yield* files(join(path, entry));
}
