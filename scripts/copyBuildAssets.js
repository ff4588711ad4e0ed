// Part of `npm run build`: tsc emits the compiled .ts files into dist/; the node also loads files
// that are not TypeScript at run time (the dashboard's page, the PoW worker thread), copied here to
// the same place under dist/.
const { chmodSync, cpSync, readdirSync } = require("node:fs");
const { join, relative } = require("node:path");

const ROOT = join(__dirname, "..");
const ASSET = /\.(html|js|css)$/;

function* assets(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* assets(path);
    else if (ASSET.test(entry.name)) yield path;
  }
}

for (const file of assets(join(ROOT, "node"))) cpSync(file, join(ROOT, "dist", relative(ROOT, file)));

// The `bin` must be executable: npm makes a dependency's bin executable when it links it, but
// `npx repchain` in this checkout runs dist/node/cli/repchain.js itself, which tsc wrote as 0644.
chmodSync(join(ROOT, "dist", "node", "cli", "repchain.js"), 0o755);
