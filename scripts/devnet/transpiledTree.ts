import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import ts from "typescript";

/** The folders a node process loads code from, relative to the repository root. */
const SOURCE_DIRS = ["node", "scripts/devnet", "typechain-types"];

/**
 * Transpiles the node's TypeScript once into `outDir` (the same tree, .js beside copies of the
 * other files), so each node process starts with plain `node` instead of compiling every file
 * again under ts-node: on a busy 2-core machine seven ts-node start-ups took over a minute. No type
 * checking here (that is `npm run typecheck`'s job), exactly as ts-node's transpile-only mode.
 * Children find the dependencies through NODE_PATH (see `nodeModulesEnv`).
 */
export function transpileTree(root: string, outDir: string): void {
  const options = compilerOptions(root);
  for (const dir of SOURCE_DIRS) {
    for (const file of walk(join(root, dir))) {
      const target = join(outDir, relative(root, file));
      mkdirSync(dirname(target), { recursive: true });
      // The dashboard's browser script is read as TypeScript at run time (dashboardPages.ts): keep
      // every source file too, and add the .js beside it.
      copyFileSync(file, target);
      if (file.endsWith(".ts") && !file.endsWith(".d.ts")) {
        const output = ts.transpileModule(readFileSync(file, "utf8"), { compilerOptions: options, fileName: file });
        writeFileSync(target.replace(/\.ts$/, ".js"), output.outputText);
      }
    }
  }
}

/** Environment that lets code under `outDir` resolve packages from the repository's node_modules. */
export function nodeModulesEnv(root: string): NodeJS.ProcessEnv {
  return { ...process.env, NODE_PATH: join(root, "node_modules") };
}

function compilerOptions(root: string): ts.CompilerOptions {
  const configFile = join(root, "tsconfig.json");
  const read = ts.readConfigFile(configFile, ts.sys.readFile);
  if (read.error)
    throw new Error(`cannot read ${configFile}: ${ts.flattenDiagnosticMessageText(read.error.messageText, "\n")}`);
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root);
  return { ...parsed.options, noEmit: false, declaration: false, sourceMap: false, inlineSourceMap: true };
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}
