import { expect } from "chai";
import { AbiCoder, getBytes, keccak256 } from "ethers";
import {
  decodeRepresentatives,
  electionResultHash,
  encodeRepresentatives,
  type Representative,
} from "../../node/election/representative";
import { Prng } from "../../node/sim/prng";
import { toHex } from "../../node/chain/bytes";
import type { Address } from "../../node/types/primitives";

/** What encodeRepresentatives replaced: ethers' ABI coder, the reference for the bytes. */
function abiEncoded(list: readonly Representative[]): Uint8Array {
  return getBytes(
    AbiCoder.defaultAbiCoder().encode(
      ["(address,address,uint256)[]"],
      [list.map((r) => [r.address, r.signingKey, r.votes])],
    ),
  );
}

function address(prng: Prng): Address {
  return toHex(prng.bytes32().subarray(12)) as Address;
}

describe("the election result's bytes (hand-written ABI encoding)", () => {
  it("equal ethers' abi.encode((address,address,uint256)[]) for 0–40 representatives and votes up to 2^256 − 1", () => {
    const prng = new Prng(11);
    for (let n = 0; n <= 40; n++) {
      const list: Representative[] = Array.from({ length: n }, (_, i) => ({
        address: address(prng),
        signingKey: address(prng),
        votes: i % 3 === 0 ? (1n << 256n) - 1n : BigInt(prng.uint32()) * BigInt(prng.uint32()),
      }));
      const bytes = encodeRepresentatives(list);
      expect(toHex(bytes)).to.equal(toHex(abiEncoded(list)));
      expect(electionResultHash(list)).to.equal(keccak256(bytes));
      expect(decodeRepresentatives(bytes)).to.deep.equal(list);
    }
  });

  it("refuses what the ABI cannot encode: a short address, votes below 0 or from 2^256", () => {
    const ok: Representative = { address: `0x${"11".repeat(20)}`, signingKey: `0x${"22".repeat(20)}`, votes: 1n };
    expect(() => encodeRepresentatives([{ ...ok, address: "0x1234" as Address }])).to.throw(/expected 20 bytes, got 2/);
    expect(() => encodeRepresentatives([{ ...ok, signingKey: "0xzz" as Address }])).to.throw(/not 0x-prefixed/);
    expect(() => encodeRepresentatives([{ ...ok, votes: -1n }])).to.throw(/-1 does not fit in 32 bytes/);
    expect(() => encodeRepresentatives([{ ...ok, votes: 1n << 256n }])).to.throw(/does not fit in 32 bytes/);
  });

  it("hashes no election as the zero hash", () => {
    expect(electionResultHash(null)).to.equal(`0x${"00".repeat(32)}`);
  });
});
