import { expect } from "chai";
import { transactionHash } from "../../node/chain/transaction";
import { headerHash } from "../../node/chain/headerCodec";
import { signTransaction } from "../../node/chain/transaction";
import {
  WireDecodeError,
  decodeConsensusMessage,
  decodeFinalizedBlocks,
  encodeConsensusMessage,
  encodeFinalizedBlocks,
} from "../../node/consensus/messageCodec";
import { decodeTransaction } from "../../node/chain/transaction";
import { encodeTransaction } from "../../node/chain/transaction";
import { fixture } from "../../node/testing/chainFixture";
import { certifiedChain } from "../../node/testing/certifiedChain";

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, "utf8"));

describe("wire codec", () => {
  it("round-trips proposals, votes and commits with the very bytes that are hashed", () => {
    const f = fixture();
    const [finalized] = certifiedChain(f, 1, 2);
    const proposal = {
      type: "proposal" as const,
      height: 1,
      round: 0,
      validRound: -1,
      block: finalized.block,
      signature: finalized.block.proposerSignature,
    };
    const back = decodeConsensusMessage(encodeConsensusMessage(proposal));
    expect(back).to.deep.equal(proposal);
    if (back.type !== "proposal") throw new Error("type");
    expect(headerHash(back.block.header)).to.equal(headerHash(finalized.block.header));
    const commit = { type: "commit" as const, finalized };
    expect(decodeConsensusMessage(encodeConsensusMessage(commit))).to.deep.equal(commit);
    const vote = {
      type: "vote" as const,
      kind: "prevote" as const,
      height: 1,
      round: 0,
      blockHash: null,
      validator: f.keys[0].address,
      signature: finalized.certificate.signatures[0],
    };
    expect(decodeConsensusMessage(encodeConsensusMessage(vote))).to.deep.equal(vote);
    expect(decodeFinalizedBlocks(encodeFinalizedBlocks([finalized]), 1, 1 << 20)).to.deep.equal([finalized]);
  });

  const bad: { id: string; text: string }[] = [
    { id: "not JSON", text: "{" },
    { id: "unknown type", text: '{"type":"gossip"}' },
    // Status and transactions are not consensus messages (node/sync, the transaction topic).
    { id: "status on the consensus topic", text: '{"type":"status","height":1}' },
    { id: "transaction on the consensus topic", text: '{"type":"transaction","tx":"0x00"}' },
    {
      id: "extra field",
      text: `{"type":"vote","kind":"prevote","height":1,"round":0,"blockHash":null,"validator":"0x${"11".repeat(20)}","signature":"0x${"22".repeat(65)}","x":1}`,
    },
    {
      id: "negative height",
      text: `{"type":"vote","kind":"prevote","height":-1,"round":0,"blockHash":null,"validator":"0x${"11".repeat(20)}","signature":"0x${"22".repeat(65)}"}`,
    },
    {
      id: "uppercase hash",
      text: `{"type":"vote","kind":"prevote","height":1,"round":0,"blockHash":"0x${"AB".repeat(32)}","validator":"0x${"11".repeat(20)}","signature":"0x${"22".repeat(65)}"}`,
    },
    {
      id: "short header",
      text: `{"type":"commit","finalized":{"block":{"header":"0x00","events":[],"transactions":[],"electionResult":null,"proposerSignature":"0x"},"certificate":{"height":1,"round":0,"blockHash":"0x${"00".repeat(32)}","signatures":[]}}}`,
    },
  ];
  for (const { id, text } of bad) {
    it(`refuses a malformed message: ${id}`, () => {
      expect(() => decodeConsensusMessage(utf8(text))).to.throw(WireDecodeError);
    });
  }

  it("refuses a message over the size limit before parsing it", () => {
    const big = utf8(
      `{"type":"vote","kind":"prevote","height":1,"round":0,"blockHash":null,"validator":"0x${"11".repeat(20)}","signature":"0x${"22".repeat(65)}"${" ".repeat(200)}}`,
    );
    expect(() => decodeConsensusMessage(big, 100)).to.throw(WireDecodeError, "bytes >");
  });

  it("decodes a transaction's canonical encoding and nothing else", () => {
    const f = fixture();
    const tx = signTransaction(f.genesis.chainId, f.keys[0], 7n, "0xabcdef");
    const bytes = encodeTransaction(tx);
    expect(decodeTransaction(bytes)).to.deep.equal(tx);
    expect(transactionHash(decodeTransaction(bytes))).to.equal(transactionHash(tx));
    expect(() => decodeTransaction(bytes.subarray(0, bytes.length - 1))).to.throw(RangeError);
    expect(() => decodeTransaction(new Uint8Array(10))).to.throw(RangeError);
  });
});
