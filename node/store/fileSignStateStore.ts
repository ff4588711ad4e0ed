import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { parseChainJson, stringifyChainJson } from "../chain/json";
import type { SignState, SignStateStore } from "../consensus/signState";

/**
 * The sign state in one small JSON file, replaced atomically: write a temp file, fsync it, rename
 * it over the old one, fsync the directory (so the rename itself survives power loss). A crash at
 * any point leaves either the old or the new state, never a torn one. Synchronous on purpose: the
 * signature must not be released before this returns.
 */
export class FileSignStateStore implements SignStateStore {
  constructor(private readonly path: string) {}

  load(): SignState | null {
    let text: string;
    try {
      text = readFileSync(this.path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
    const raw = parseChainJson(text) as Record<string, unknown>;
    const { height, round, step, digestsHash, signatures, vote, lock } = raw;
    if (
      !Number.isSafeInteger(height) ||
      !Number.isSafeInteger(round) ||
      ![0, 1, 2].includes(step as number) ||
      typeof digestsHash !== "string" ||
      !Array.isArray(signatures) ||
      vote === undefined ||
      lock === undefined
    ) {
      // Refuse to start rather than guess: a wrong guess here is how validators get slashed.
      throw new Error(`corrupt sign state file ${this.path}`);
    }
    return { height, round, step, digestsHash, signatures, vote, lock } as SignState;
  }

  save(state: SignState): void {
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, stringifyChainJson(state));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
    const dir = openSync(dirname(this.path), "r");
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }
}
