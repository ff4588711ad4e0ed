import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The dashboard's script. The build (tsc) compiles dashboard.ts into dashboard.js beside it, and that is
 * what an installed node serves: `typescript` is a development dependency, absent from an operator's
 * install. Only when running from the sources (ts-node, tests) is there no dashboard.js, and then the
 * script is transpiled here.
 */
function dashboardScript(dir: string): string {
  const built = join(dir, "dashboard.js");
  if (existsSync(built)) return readFileSync(built, "utf8");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require("typescript") as typeof import("typescript");
  const source = readFileSync(join(dir, "dashboard.ts"), "utf8");
  return ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.None },
  }).outputText;
}

/** The dashboard's two files, ready for RpcServerOptions.pages: the page and its script, read once. */
export function dashboardPages(): Record<string, { contentType: string; body: string }> {
  const dir = join(__dirname, "dashboard");
  return {
    "/": { contentType: "text/html; charset=utf-8", body: readFileSync(join(dir, "index.html"), "utf8") },
    "/dashboard.js": { contentType: "text/javascript; charset=utf-8", body: dashboardScript(dir) },
  };
}
