import { expect } from "chai";
import type { L1Follower } from "../../node/l1/follower";
import type { RpcTransport } from "../../node/l1/rpc";
import { L1RegistryEventSource } from "../../node/validator/l1EventSource";
import type { Hex } from "../../node/types/primitives";
import type { RegistryEvent } from "../../node/registry/events";

const hash = (n: number) => `0x${n.toString(16).padStart(64, "0")}` as Hex;

function vote(blockNumber: number): RegistryEvent {
  return {
    kind: "VoteCast",
    voter: `0x${"11".repeat(20)}`,
    candidate: `0x${"22".repeat(20)}`,
    registration: 1,
    blockNumber,
    blockHash: hash(blockNumber),
    transactionHash: hash(1000 + blockNumber),
    logIndex: 0,
  };
}

/** A follower whose confirmed head tests move, with slow event reads (as a loaded LevelDB). */
function fakeFollower(events: RegistryEvent[]) {
  const follower = {
    confirmed: { head: undefined as { number: number; hash: Hex; timestamp: number } | undefined },
    async eventsInRange(from: number, to: number) {
      await new Promise((r) => setTimeout(r, 20));
      return events.filter((e) => e.blockNumber > from && e.blockNumber <= to);
    },
  };
  return follower;
}

describe("L1RegistryEventSource", () => {
  it("mirrors the follower's confirmed events once, even when refreshes overlap", async () => {
    const follower = fakeFollower([vote(3), vote(5), vote(8)]);
    const rpc = { call: async () => null, batch: async () => [] } as unknown as RpcTransport;
    const source = new L1RegistryEventSource(follower as unknown as L1Follower, rpc, 2);
    expect(source.confirmedHead().number).to.equal(1);
    follower.confirmed.head = { number: 6, hash: hash(6), timestamp: 60 };
    await Promise.all([source.refresh(), source.refresh(), source.refresh()]);
    expect(source.eventCount).to.equal(2);
    expect(source.confirmedHead()).to.deep.equal({ number: 6, hash: hash(6), timestamp: 60n });
    follower.confirmed.head = { number: 9, hash: hash(9), timestamp: 90 };
    await source.refresh();
    expect(source.eventsBetween(1, 9).map((e) => e.blockNumber)).to.deep.equal([3, 5, 8]);
    expect(source.eventsBetween(3, 8).map((e) => e.blockNumber)).to.deep.equal([5, 8]);
    expect(source.eventsBetween(5, 7)).to.deep.equal([]);
    expect(source.blockRef(9)?.timestamp).to.equal(90n);
    expect(source.blockRef(10)).to.equal(null); // not confirmed
    expect(source.blockRef(7)).to.equal(null); // confirmed but never fetched
  });

  it("fetches the headers of confirmed anchors it lacks, and never of unconfirmed ones", async () => {
    const follower = fakeFollower([]);
    follower.confirmed.head = { number: 9, hash: hash(9), timestamp: 90 };
    const asked: unknown[] = [];
    const rpc = {
      call: async () => null,
      batch: async (requests: { params: unknown[] }[]) => {
        asked.push(...requests.map((r) => r.params[0]));
        return requests.map((r) => {
          const n = Number(r.params[0]);
          return { number: r.params[0], hash: hash(n), parentHash: hash(n - 1), timestamp: "0x46" };
        });
      },
    } as unknown as RpcTransport;
    const source = new L1RegistryEventSource(follower as unknown as L1Follower, rpc, 2);
    await source.refresh();
    await source.ensureRefs([7, 9, 12]);
    expect(asked).to.deep.equal(["0x7"]);
    expect(source.blockRef(7)).to.deep.equal({ number: 7, hash: hash(7), timestamp: 70n });
  });
});
