import { expect } from "chai";
import { hexlify } from "ethers";
import { HEADER_BYTES } from "../../node/chain/headerCodec";
import { decodeStoredBlock, encodeStoredBlock, STORED_BLOCK_VERSION } from "../../node/store/finalizedBlockCodec";
import { certifiedChain } from "../../node/testing/certifiedChain";
import { fixture } from "../../node/testing/chainFixture";

describe("stored block format", () => {
  const f = fixture();
  const blocks = certifiedChain(f, 4, 2);
  const withElection = {
    ...blocks[1],
    block: {
      ...blocks[1].block,
      body: { ...blocks[1].block.body, electionResult: f.state.representatives.map((r) => ({ ...r, votes: 7n })) },
    },
  };

  it("round-trips finalized blocks with events, transactions, an election result, a lastCommit and a certificate", () => {
    for (const finalized of [...blocks, withElection]) {
      expect(decodeStoredBlock(encodeStoredBlock(finalized))).to.deep.equal(finalized);
    }
    expect(blocks[0].block.body.lastCommit).to.equal(null);
    expect(blocks[1].block.body.lastCommit?.blockHash).to.equal(blocks[0].certificate.blockHash);
    expect(blocks[0].block.body.events).to.not.be.empty;
    expect(blocks[0].block.body.transactions).to.have.length(2);
  });

  it("refuses a truncated value, trailing bytes and an unknown version instead of reading a wrong block", () => {
    const bytes = encodeStoredBlock(withElection);
    expect(() => decodeStoredBlock(bytes.subarray(0, bytes.length - 1))).to.throw(RangeError);
    expect(() => decodeStoredBlock(Uint8Array.from([...bytes, 0]))).to.throw(RangeError, "trailing");
    expect(() => decodeStoredBlock(Uint8Array.from([STORED_BLOCK_VERSION + 1, ...bytes.subarray(1)]))).to.throw(
      RangeError,
      `version ${STORED_BLOCK_VERSION + 1}`,
    );
  });

  it("refuses a list count the value cannot hold without allocating it", () => {
    const bytes = Uint8Array.from(encodeStoredBlock(blocks[0]));
    // The event count sits after version (1), header (4 + HEADER_BYTES) and signature (4 + 65).
    const at = 1 + 4 + HEADER_BYTES + 4 + 65;
    bytes.set([0xff, 0xff, 0xff, 0xff], at);
    expect(() => decodeStoredBlock(bytes)).to.throw(RangeError, "list of 4294967295 items");
  });

  it("re-checks each part's canonical encoding (a flipped event byte is refused)", () => {
    const bytes = Uint8Array.from(encodeStoredBlock(blocks[0]));
    const eventStart = 1 + 4 + HEADER_BYTES + 4 + 65 + 4 + 4;
    bytes[eventStart] = 9; // the event's encoding version
    expect(() => decodeStoredBlock(bytes)).to.throw();
    expect(hexlify(bytes)).to.not.equal(hexlify(encodeStoredBlock(blocks[0])));
  });
});
