import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** npm's own range logic (semver is in the tree through npm's tooling; it ships no types). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const semver = require("semver") as {
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { version: string } | null;
};

/**
 * `npm ci` on the Node the project supports must not warn EBADENGINE (cookie@2 wanted Node 22 and
 * came in through fastify's light-my-request; package.json's `overrides` pins cookie 1.1.1 there).
 */
describe("package-lock.json: every locked package runs on the project's Node", function () {
  const root = join(__dirname, "..", "..");
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {
    packages: Record<string, { version?: string; engines?: { node?: unknown } }>;
  };
  const refusing = (node: string) =>
    Object.entries(lock.packages).flatMap(([path, entry]) => {
      const wanted = entry.engines?.node;
      if (path === "" || typeof wanted !== "string") return [];
      return semver.satisfies(node, wanted) ? [] : [`${path}@${entry.version} wants ${wanted}, not ${node}`];
    });

  it("has no package whose engines.node excludes the Node running the tests", function () {
    expect(refusing(process.versions.node)).to.deep.equal([]);
  });

  it("has none that excludes the oldest Node the project's own engines.node admits", function () {
    const range = lock.packages[""].engines?.node as string;
    const oldest = semver.minVersion(range)!.version;
    expect(refusing(oldest), `engines.node ${range}`).to.deep.equal([]);
  });
});
