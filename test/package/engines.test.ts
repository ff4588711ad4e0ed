import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** npm's own range logic (semver is in the tree through npm's tooling; it ships no types). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const semver = require("semver") as {
  satisfies(version: string, range: string): boolean;
};

/**
 * `npm ci` on the Node the project supports must not warn EBADENGINE (cookie@2 wanted Node 22 and
 * came in through fastify's light-my-request; package.json's `overrides` pins cookie 1.1.1 there).
 */
describe("package-lock.json: every locked package runs on the project's Node", function () {
  it("has no package whose engines.node excludes the Node running the tests", function () {
    const root = join(__dirname, "..", "..");
    const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {
      packages: Record<string, { version?: string; engines?: { node?: unknown } }>;
    };
    const node = process.versions.node;
    const refusing = Object.entries(lock.packages).flatMap(([path, entry]) => {
      const wanted = entry.engines?.node;
      if (typeof wanted !== "string") return [];
      return semver.satisfies(node, wanted) ? [] : [`${path}@${entry.version} wants ${wanted}, not ${node}`];
    });
    expect(refusing).to.deep.equal([]);
  });
});
