import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The dashboard's two files, ready for RpcServerOptions.pages: the page and its script. */
export function dashboardPages(): Record<string, { contentType: string; body: string }> {
  const dir = join(__dirname, "dashboard");
  return {
    "/": { contentType: "text/html; charset=utf-8", body: readFileSync(join(dir, "index.html"), "utf8") },
    "/dashboard.js": { contentType: "text/javascript; charset=utf-8", body: dashboardScript(dir) },
  };
}

/**
 * The browser script. The build (tsc) compiles dashboard.ts to dashboard.js beside it, which is
 * what an installed package serves: TypeScript is a development dependency. Run from the sources
 * (tests under ts-node) there is no .js, so the source is transpiled here.
 */
function dashboardScript(dir: string): string {
  const built = join(dir, "dashboard.js");
  if (existsSync(built)) return readFileSync(built, "utf8");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require("typescript") as typeof import("typescript");
  const source = readFileSync(join(dir, "dashboard.ts"), "utf8");
  return ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.None } })
    .outputText;
}
