import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { elect, type Representative } from "../../node/election";
import { applyEvents, emptyRegistryState, RegistryError, RegistryErrorCode } from "../../node/registry";
import { EVENT_FIELDS, type RegistryEventBody, type RegistryEventKind } from "../../node/registry/events";
import { naiveElect } from "./naiveRecount";

/**
 * Runs every test vector in test/vectors/election/ (format: docs/election.md). Each file is
 * { id, description, pre: events, input: { k?, snapshotTime }, post }, with every uint written as a
 * decimal string (registrations, reasons and counts as JSON numbers); post is either
 * { k, representatives: (address, signingKey, votes)[], eligibleCount, shortfall } or
 * { error: { index, code } } for a stream the registries could not have produced.
 */
const VECTORS_DIR = path.join(__dirname, "..", "vectors", "election");
const DECIMAL = /^(0|[1-9][0-9]*)$/;
const UINT_TYPES = new Set(["uint64", "uint256"]);

interface Vector {
  id: string;
  description: string;
  pre: Record<string, unknown>[];
  /** k overrides the K rule; without it the rule standing after `pre` decides. */
  input: { k?: string; snapshotTime: string };
  post:
    | {
        k: string;
        representatives: { address: string; signingKey: string; votes: string }[];
        eligibleCount: number;
        shortfall: string;
      }
    | { error: { index: number; code: string } };
}

function uint(value: unknown, where: string): bigint {
  if (typeof value !== "string" || !DECIMAL.test(value)) throw new Error(`${where}: not a decimal string`);
  return BigInt(value);
}

/** A vector event, its uint fields (as EVENT_FIELDS types them) turned into bigints. */
function parseEvent(raw: Record<string, unknown>, where: string): RegistryEventBody {
  const fields = EVENT_FIELDS[raw.kind as RegistryEventKind];
  if (fields === undefined) throw new Error(`${where}: unknown kind ${String(raw.kind)}`);
  const event: Record<string, unknown> = { ...raw };
  for (const [name, type] of fields) {
    if (UINT_TYPES.has(type)) event[name] = uint(raw[name], `${where}.${name}`);
  }
  return event as unknown as RegistryEventBody;
}

function load(file: string): Vector {
  return JSON.parse(fs.readFileSync(path.join(VECTORS_DIR, file), "utf8")) as Vector;
}

/** An election outcome in the vectors' JSON form. */
function asJson(result: {
  k: bigint;
  representatives: readonly Representative[];
  eligibleCount: number;
  shortfall: bigint;
}) {
  return {
    k: result.k.toString(),
    representatives: result.representatives.map((r) => ({
      address: r.address,
      signingKey: r.signingKey,
      votes: r.votes.toString(),
    })),
    eligibleCount: result.eligibleCount,
    shortfall: result.shortfall.toString(),
  };
}

const files = fs
  .readdirSync(VECTORS_DIR)
  .filter((f) => f.endsWith(".json"))
  .sort();

describe("election test vectors", () => {
  it("are there to run", () => {
    expect(files.length).to.be.at.least(10);
  });

  for (const file of files) {
    const vector = load(file);
    it(vector.id, () => {
      expect(`${vector.id}.json`).to.equal(file);
      const events = vector.pre.map((raw, i) => parseEvent(raw, `${file} pre[${i}]`));
      const k = vector.input.k === undefined ? undefined : uint(vector.input.k, "input.k");
      const snapshotTime = uint(vector.input.snapshotTime, "input.snapshotTime");
      const state = emptyRegistryState();
      if ("error" in vector.post) {
        let caught: unknown;
        try {
          applyEvents(state, events);
        } catch (err) {
          caught = err;
        }
        expect(caught).to.be.instanceOf(RegistryError);
        const error = caught as RegistryError;
        expect(error.type).to.deep.include({
          code: RegistryErrorCode.BATCH_EVENT_REJECTED,
          index: vector.post.error.index,
        });
        expect((error.cause as RegistryError).code).to.equal(vector.post.error.code);
        return;
      }
      applyEvents(state, events);
      expect(asJson(elect(state, snapshotTime, k))).to.deep.equal(vector.post);
      // The vectors also hold for the independent naive model of the property tests.
      expect(asJson(naiveElect(events, snapshotTime, k))).to.deep.equal(vector.post);
    });
  }
});
