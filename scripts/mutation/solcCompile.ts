/**
 * Compiles Solidity with the npm solc (solc-js) the way Hardhat does for this project (same version, optimizer
 * and EVM version from hardhat.config.ts) but in this process and for only the files asked for. The CBOR
 * metadata trailer is left out: it hashes the source text, so without it two sources that compile to the same
 * code give the same bytes (trivial compiler equivalence), and code never reads its own trailer.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  contracts?: Record<string, Record<string, { evm: { bytecode: { object: string } } }>>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- solc ships no types
const solc = require("solc") as { compile(input: string, callbacks: object): string };

export type CompileResult = { ok: true; bytecode: Map<string, string> } | { ok: false; error: string };

/**
 * Compiles `sources` (project-relative path → text; imports missing from it are read from the project or
 * node_modules) and returns the creation bytecode ("0x…") of every contract in them, by contract name.
 */
export function compileSources(root: string, settings: object, sources: Record<string, string>): CompileResult {
  const findImports = (path: string) => {
    for (const candidate of [join(root, path), join(root, "node_modules", path)]) {
      if (existsSync(candidate)) return { contents: readFileSync(candidate, "utf8") };
    }
    return { error: `import not found: ${path}` };
  };
  const input = {
    language: "Solidity",
    sources: Object.fromEntries(Object.entries(sources).map(([path, content]) => [path, { content }])),
    settings: {
      ...settings,
      metadata: { appendCBOR: false },
      outputSelection: Object.fromEntries(Object.keys(sources).map((path) => [path, { "*": ["evm.bytecode.object"] }])),
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports })) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0) return { ok: false, error: errors.map((e) => e.formattedMessage).join("\n") };
  const bytecode = new Map<string, string>();
  for (const path of Object.keys(sources)) {
    for (const [name, contract] of Object.entries(output.contracts?.[path] ?? {})) {
      if (contract.evm.bytecode.object !== "") bytecode.set(name, `0x${contract.evm.bytecode.object}`);
    }
  }
  return { ok: true, bytecode };
}
