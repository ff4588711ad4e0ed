import { expect } from "chai";
import { AbiCoder, hexlify } from "ethers";
import fc from "fast-check";
import { decodeRegistryEvent, encodeRegistryEvent, RegistryError, RegistryErrorCode } from "../../node/registry";
import { ABI_TYPES, POSITION_FIELDS } from "../../node/registry/codec";
import { EVENT_FIELDS, RemovalReason, type RegistryEvent } from "../../node/registry/events";
import { arbRegistryEvent } from "./arbitraries";
import { bytes32, candidate, positioned, voter } from "./fixtures";

function expectCode(run: () => unknown, code: RegistryErrorCode): void {
  let caught: unknown;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected ${code}`).to.be.instanceOf(RegistryError);
  expect((caught as RegistryError).code).to.equal(code);
}

const word = (hex: string): string => hex.replace(/^0x/, "").padStart(64, "0");
const VOTE = positioned({ kind: "VoteCast", voter: voter(7), candidate: candidate(2), registration: 5 }, 3);

/** A copy of `bytes` with `byte` written at `index`. */
function patched(bytes: Uint8Array, index: number, byte: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[index] = byte;
  return copy;
}

describe("governance event codec", () => {
  it("encodes a VoteCast as version 2, kind code 11, then one ABI word per field", () => {
    const expected =
      "0x" +
      "02" +
      "0b" +
      word(voter(7)) +
      word(candidate(2)) +
      word("05") + // registration 5
      word("0d") + // blockNumber 13
      bytes32(1003).slice(2) +
      bytes32(2003).slice(2) +
      word("03"); // logIndex 3
    expect(hexlify(encodeRegistryEvent(VOTE))).to.equal(expected);
  });

  it("round-trips every event, and every accepted encoding is the event's only one", () => {
    fc.assert(
      fc.property(arbRegistryEvent, (e) => {
        const bytes = encodeRegistryEvent(e);
        const decoded = decodeRegistryEvent(bytes);
        expect(decoded).to.deep.equal(e);
        expect(hexlify(encodeRegistryEvent(decoded))).to.equal(hexlify(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it("writes the same words as ethers' AbiCoder for the declared ABI types", () => {
    fc.assert(
      fc.property(arbRegistryEvent, (e) => {
        const fields = [...EVENT_FIELDS[e.kind], ...POSITION_FIELDS];
        const values = e as unknown as Record<string, unknown>;
        const abi = AbiCoder.defaultAbiCoder().encode(
          fields.map(([, type]) => ABI_TYPES[type]),
          fields.map(([name]) => values[name]),
        );
        expect(hexlify(encodeRegistryEvent(e).subarray(2))).to.equal(abi);
      }),
      { numRuns: 200 },
    );
  });

  it("either rejects a mutated encoding or decodes it to an event that re-encodes to the same bytes", () => {
    fc.assert(
      fc.property(arbRegistryEvent, fc.nat(), fc.integer({ min: 1, max: 255 }), (e, at, xor) => {
        const bytes = encodeRegistryEvent(e);
        const index = at % bytes.length;
        const mutated = patched(bytes, index, bytes[index] ^ xor);
        let decoded: RegistryEvent;
        try {
          decoded = decodeRegistryEvent(mutated);
        } catch (err) {
          expect(err).to.be.instanceOf(RegistryError);
          return;
        }
        expect(hexlify(encodeRegistryEvent(decoded))).to.equal(hexlify(mutated));
      }),
      { numRuns: 500 },
    );
  });

  describe("rejects malformed input", () => {
    const bytes = encodeRegistryEvent(VOTE);

    it("shorter than the header, or not bytes", () => {
      expectCode(() => decodeRegistryEvent(new Uint8Array()), RegistryErrorCode.MALFORMED_ENCODING);
      expectCode(() => decodeRegistryEvent(Uint8Array.of(1)), RegistryErrorCode.MALFORMED_ENCODING);
      expectCode(() => decodeRegistryEvent("0x01" as unknown as Uint8Array), RegistryErrorCode.MALFORMED_ENCODING);
    });

    it("an unknown version or kind code", () => {
      expectCode(() => decodeRegistryEvent(patched(bytes, 0, 1)), RegistryErrorCode.UNSUPPORTED_ENCODING_VERSION);
      // 7 and 10 are the retired DepositRefunded and RepresentativeCountChanged: never reused
      for (const code of [0, 7, 10, 19, 255]) {
        expectCode(() => decodeRegistryEvent(patched(bytes, 1, code)), RegistryErrorCode.MALFORMED_ENCODING);
      }
    });

    it("a truncated or extended encoding, or one of another kind's length", () => {
      expectCode(() => decodeRegistryEvent(bytes.subarray(0, bytes.length - 1)), RegistryErrorCode.MALFORMED_ENCODING);
      const longer = new Uint8Array(bytes.length + 32);
      longer.set(bytes);
      expectCode(() => decodeRegistryEvent(longer), RegistryErrorCode.MALFORMED_ENCODING);
      // kind 1 (AuditorAdded) has 5 words, VoteCast 7
      expectCode(() => decodeRegistryEvent(patched(bytes, 1, 1)), RegistryErrorCode.MALFORMED_ENCODING);
    });

    it("dirty padding in an address, a uint64 or a uint32", () => {
      expectCode(() => decodeRegistryEvent(patched(bytes, 2, 1)), RegistryErrorCode.MALFORMED_ENCODING);
      expectCode(() => decodeRegistryEvent(patched(bytes, 2 + 64, 1)), RegistryErrorCode.MALFORMED_ENCODING);
      // logIndex is uint32: byte 27 of its word is padding even though a uint64 would allow it
      expectCode(() => decodeRegistryEvent(patched(bytes, 2 + 6 * 32 + 27, 1)), RegistryErrorCode.MALFORMED_ENCODING);
    });

    it("a block number or registration beyond 2^53 - 1 and a removal reason outside the enum", () => {
      const beyond = patched(bytes, 2 + 3 * 32 + 25, 0x20); // 2^54 + 13
      expectCode(() => decodeRegistryEvent(beyond), RegistryErrorCode.MALFORMED_ENCODING);
      const registration = patched(bytes, 2 + 2 * 32 + 25, 0x20);
      expectCode(() => decodeRegistryEvent(registration), RegistryErrorCode.MALFORMED_ENCODING);
      const removal = encodeRegistryEvent(
        positioned(
          {
            kind: "CandidateRemoved",
            candidate: candidate(1),
            reason: RemovalReason.Slashed,
            remover: voter(1),
            revocationReason: bytes32(7),
            refundableAt: 5n,
          },
          1,
        ),
      );
      expectCode(() => decodeRegistryEvent(patched(removal, 2 + 32 + 31, 4)), RegistryErrorCode.MALFORMED_ENCODING);
    });
  });

  describe("refuses to encode values outside their types", () => {
    const cases: { id: string; event: object }[] = [
      { id: "a checksummed address", event: { ...VOTE, voter: "0xAbCdEf0000000000000000000000000000000000" } },
      { id: "a short address", event: { ...VOTE, voter: "0x1234" } },
      { id: "a short hash", event: { ...VOTE, blockHash: "0x12" } },
      { id: "a fractional block number", event: { ...VOTE, blockNumber: 1.5 } },
      { id: "a negative log index", event: { ...VOTE, logIndex: -1 } },
      { id: "a log index beyond uint32", event: { ...VOTE, logIndex: 2 ** 32 } },
      {
        id: "a uint64 overflow",
        event: {
          ...VOTE,
          kind: "CredentialsRenewed",
          candidate: candidate(1),
          qualificationHash: bytes32(1),
          credentialExpiry: 1n << 64n,
        },
      },
      { id: "a negative uint256", event: { ...VOTE, kind: "ThresholdChanged", newThreshold: -1n } },
      { id: "a number where a bigint belongs", event: { ...VOTE, kind: "MinDepositChanged", newMinDeposit: 5 } },
      { id: "a fractional registration", event: { ...VOTE, registration: 1.5 } },
      { id: "a bigint registration", event: { ...VOTE, registration: 1n } },
      {
        id: "a reason outside the enum",
        event: {
          ...VOTE,
          kind: "CandidateRemoved",
          candidate: candidate(1),
          reason: 4,
          remover: voter(1),
          revocationReason: bytes32(0),
          refundableAt: 0n,
        },
      },
    ];
    for (const { id, event } of cases) {
      it(id, () => expectCode(() => encodeRegistryEvent(event as RegistryEvent), RegistryErrorCode.INVALID_FIELD));
    }

    it("an unknown kind", () => {
      expectCode(
        () => encodeRegistryEvent({ ...VOTE, kind: "Bogus" } as unknown as RegistryEvent),
        RegistryErrorCode.UNKNOWN_EVENT_KIND,
      );
    });
  });
});
