import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

/** The dashboard's two files, ready for RpcServerOptions.pages: the page and its script, transpiled once. */
export function dashboardPages(): Record<string, { contentType: string; body: string }> {
  const dir = join(__dirname, "dashboard");
  const source = readFileSync(join(dir, "dashboard.ts"), "utf8");
  const script = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.None },
  });
  return {
    "/": { contentType: "text/html; charset=utf-8", body: readFileSync(join(dir, "index.html"), "utf8") },
    "/dashboard.js": { contentType: "text/javascript; charset=utf-8", body: script.outputText },
  };
}
