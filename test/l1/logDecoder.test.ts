import { expect } from "chai";
import { AbiCoder, Interface, zeroPadValue } from "ethers";
import { L1Error, L1ErrorCode } from "../../node/l1/errors";
import { LogDecoder } from "../../node/l1/logDecoder";
import type { RawLog } from "../../node/l1/rawTypes";
import { VoteRegistry__factory } from "../../typechain-types";
import type { Address, Hex } from "../../node/types/primitives";

const REGISTRY = `0x${"11".repeat(20)}` as Address;
const VOTER = `0x${"aa".repeat(20)}`;
const CANDIDATE = `0x${"bb".repeat(20)}`;

function log(topics: string[], data: string): RawLog {
  return {
    address: REGISTRY,
    topics: topics as Hex[],
    data: data as Hex,
    blockNumber: 7,
    blockHash: `0x${"cc".repeat(32)}`,
    transactionHash: `0x${"dd".repeat(32)}`,
    logIndex: 3,
  };
}

function codeOf(fn: () => unknown): L1ErrorCode {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(L1Error);
    return (err as L1Error).type.code;
  }
  return expect.fail("expected an L1Error");
}

describe("LogDecoder", function () {
  const iface = new Interface(VoteRegistry__factory.abi);
  const decoder = new LogDecoder([{ address: REGISTRY, abi: VoteRegistry__factory.abi }]);

  it("decodes a compiled-ABI event with its position", function () {
    const { topics, data } = iface.encodeEventLog("VoteCast", [VOTER, CANDIDATE, 3n]);
    expect(decoder.decode(log(topics, data))).to.deep.equal({
      kind: "VoteCast",
      voter: VOTER,
      candidate: CANDIDATE,
      registration: 3,
      blockNumber: 7,
      blockHash: `0x${"cc".repeat(32)}`,
      transactionHash: `0x${"dd".repeat(32)}`,
      logIndex: 3,
    });
    // A parameter change carries old and new values; only the new one is modelled.
    const max = iface.encodeEventLog("MaxVotesPerVoterChanged", [30n, 200n]);
    expect(decoder.decode(log(max.topics, max.data))).to.deep.include({
      kind: "MaxVotesPerVoterChanged",
      newMax: 200n,
    });
    expect(decoder.decode(log(max.topics, max.data))).to.not.have.property("oldMax");
  });

  it("filters on the registry's governance topics only", function () {
    expect(decoder.addresses).to.deep.equal([REGISTRY]);
    expect(decoder.topics).to.have.members(
      ["VoteCast", "VoteRevoked", "MaxVotesPerVoterChanged"].map((n) => iface.getEvent(n)!.topicHash),
    );
  });

  it("rejects a log it cannot decode as a bad RPC response (retried, never skipped)", function () {
    const { topics, data } = iface.encodeEventLog("VoteCast", [VOTER, CANDIDATE, 1n]);
    const dirty = zeroPadValue("0x01" + VOTER.slice(2), 32);
    const max = iface.encodeEventLog("MaxVotesPerVoterChanged", [1n, 2n]);
    for (const bad of [
      log([topics[0], topics[1]], data), // a topic missing
      log([topics[0], dirty, topics[2]], data), // an address with dirty high bytes
      log([`0x${"ee".repeat(32)}`, topics[1], topics[2]], data), // unknown topic0
      { ...log(topics, data), address: `0x${"22".repeat(20)}` as Address }, // unknown address
      log(max.topics, AbiCoder.defaultAbiCoder().encode(["uint256", "uint256", "uint256"], [1n, 2n, 3n])), // too long
      log(topics, AbiCoder.defaultAbiCoder().encode(["uint256"], [1n << 60n])), // a registration beyond 2^53
    ]) {
      expect(codeOf(() => decoder.decode(bad))).to.equal(L1ErrorCode.RPC_BAD_RESPONSE);
    }
  });

  it("refuses at construction an ABI whose event lost a field the model needs", function () {
    const renamed = ["event VoteCast(address indexed voter, address indexed nominee)"];
    expect(codeOf(() => new LogDecoder([{ address: REGISTRY, abi: renamed }]))).to.equal(L1ErrorCode.ABI_MISMATCH);
    const retyped = ["event ThresholdChanged(uint256 oldThreshold, bytes32 newThreshold)"];
    expect(codeOf(() => new LogDecoder([{ address: REGISTRY, abi: retyped }]))).to.equal(L1ErrorCode.ABI_MISMATCH);
  });
});
