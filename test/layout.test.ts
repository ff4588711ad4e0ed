import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/**
 * The import rules of the layout (README "Architecture"), checked on the sources: a violation names
 * the importing file and what it imports.
 */
const ROOT = resolve(__dirname, "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(entry.name) ? [path] : [];
  });
}

/** Every relative import of `file`, as a repository path without extension. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)["'](\.{1,2}\/[^"']*)["']/g)];
  return specs.map(([, spec]) => relative(ROOT, resolve(ROOT, dirname(file), spec)));
}

function violations(files: readonly string[], forbidden: readonly string[]): string[] {
  return files.flatMap((file) =>
    importsOf(file)
      .filter((target) => forbidden.some((prefix) => target === prefix || target.startsWith(`${prefix}/`)))
      .map((target) => `${file} imports ${target}`),
  );
}

const under = (...dirs: string[]) => dirs.flatMap(sourceFiles);

describe("source layout", () => {
  it("nothing under node/ or scripts/ imports test/", () => {
    expect(violations(under("node", "scripts"), ["test"])).to.deep.equal([]);
  });

  it("the pure core (types, config, registry, election, chain) imports no I/O, process or test code", () => {
    const core = under("node/types", "node/config", "node/registry", "node/election", "node/chain");
    const outer = ["l1", "p2p", "store", "rpc", "validator", "cli", "auditor", "sim", "testing", "consensus"];
    expect(
      violations(
        core,
        outer.map((d) => `node/${d}`),
      ),
    ).to.deep.equal([]);
  });

  it("the store keeps its own formats: it imports neither the gossip codec nor p2p", () => {
    expect(violations(under("node/store"), ["node/consensus/messageCodec", "node/p2p"])).to.deep.equal([]);
  });

  it("only tests, benches, the simulator and node/testing itself use node/testing", () => {
    const production = under("node").filter((f) => !f.startsWith("node/testing/") && !f.startsWith("node/sim/"));
    expect(violations(production, ["node/testing"])).to.deep.equal([]);
  });
});
