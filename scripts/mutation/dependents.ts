/** Which Solidity files of the project are compiled again when one changes: the file and all that import it. */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

function solidityFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return solidityFiles(path);
    return entry.name.endsWith(".sol") ? [path] : [];
  });
}

/** The project files (relative to root) that import `file` directly or through others, and `file` itself. */
export function dependents(root: string, contractsDir: string, file: string): string[] {
  const importsOf = new Map<string, string[]>();
  for (const path of solidityFiles(join(root, contractsDir))) {
    const source = readFileSync(path, "utf8");
    const imported = [...source.matchAll(/^\s*import\s[^;]*?["']([^"']+)["']/gm)].map((m) => m[1]);
    // Only relative imports point into the project; package imports cannot import it back.
    const relativeImports = imported.filter((p) => p.startsWith("."));
    importsOf.set(
      relative(root, path),
      relativeImports.map((p) => relative(root, normalize(join(dirname(path), p)))),
    );
  }
  const result = new Set([relative(root, file)]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [path, imports] of importsOf) {
      if (!result.has(path) && imports.some((p) => result.has(p))) {
        result.add(path);
        grew = true;
      }
    }
  }
  return [...result];
}
