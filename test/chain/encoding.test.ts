import { expect } from "chai";
import { ethers } from "ethers";
import { fromHex, keccak256Hex, toHex, ZERO_HASH } from "../../node/chain/bytes";
import { decodeHeader, encodeHeader, HEADER_BYTES, headerHash } from "../../node/chain/headerCodec";
import { merkleRoot } from "../../node/chain/merkle";
import { recoverSigner, signDigest, SignDomain, signingDigest } from "../../node/chain/signing";
import type { BlockHeader } from "../../node/chain/types";
import { voteDigest } from "../../node/chain/voteDigest";
import { testKey } from "../../node/testing/keys";

const HEADER: BlockHeader = {
  chainId: 1337n,
  height: 42,
  epoch: 13,
  round: 2,
  parentHash: `0x${"01".repeat(32)}`,
  timestamp: 1_700_000_000_123,
  proposer: "0x00000000000000000000000000000000000000aa",
  l1AnchorNumber: 1234,
  l1AnchorHash: `0x${"02".repeat(32)}`,
  eventsRoot: `0x${"03".repeat(32)}`,
  evidenceRoot: `0x${"05".repeat(32)}`,
  txRoot: `0x${"04".repeat(32)}`,
  electionResultHash: ZERO_HASH,
  lastCommitHash: `0x${"06".repeat(32)}`,
  powTarget: 1n << 250n,
  nonce: 987654321n,
};

describe("header encoding", () => {
  it("round-trips", () => {
    const bytes = encodeHeader(HEADER);
    expect(bytes.length).to.equal(HEADER_BYTES);
    expect(decodeHeader(bytes)).to.deep.equal(HEADER);
  });

  it("equals Solidity's abi.encodePacked of the fixed-width fields (independent encoder: ethers)", () => {
    const packed = ethers.solidityPacked(
      [
        "uint64",
        "uint64",
        "uint64",
        "uint32",
        "bytes32",
        "uint64",
        "address",
        "uint64",
        "bytes32",
        "bytes32",
        "bytes32",
        "bytes32",
        "bytes32",
        "bytes32",
        "uint256",
        "uint64",
      ],
      [
        HEADER.chainId,
        HEADER.height,
        HEADER.epoch,
        HEADER.round,
        HEADER.parentHash,
        HEADER.timestamp,
        HEADER.proposer,
        HEADER.l1AnchorNumber,
        HEADER.l1AnchorHash,
        HEADER.eventsRoot,
        HEADER.evidenceRoot,
        HEADER.txRoot,
        HEADER.electionResultHash,
        HEADER.lastCommitHash,
        HEADER.powTarget,
        HEADER.nonce,
      ],
    );
    expect(toHex(encodeHeader(HEADER))).to.equal(packed);
    expect(headerHash(HEADER)).to.equal(ethers.keccak256(packed));
  });

  it("hash stability vector", () => {
    // If this changes, every stored chain and every genesis hash changes: bump a version instead.
    expect(headerHash(HEADER)).to.equal("0xefab251403bf5decd7919bf2e7a6ae8bb2445209501782bf552e0244989650e1");
    expect(headerHash({ ...HEADER, nonce: 0n })).to.not.equal(headerHash(HEADER));
  });

  it("rejects out-of-range fields and malformed bytes", () => {
    expect(() => encodeHeader({ ...HEADER, round: 2 ** 32 })).to.throw(/round/);
    expect(() => encodeHeader({ ...HEADER, chainId: -1n })).to.throw(/chainId/);
    expect(() => encodeHeader({ ...HEADER, parentHash: "0x1234" })).to.throw();
    expect(() => decodeHeader(new Uint8Array(10))).to.throw(/10 bytes/);
  });
});

describe("merkle root", () => {
  const items = [1, 2, 3, 4, 5].map((i) => new Uint8Array([i]));
  it("is ZERO_HASH for an empty list and depends on order and count", () => {
    expect(merkleRoot([])).to.equal(ZERO_HASH);
    expect(merkleRoot(items)).to.not.equal(merkleRoot([...items].reverse()));
    expect(merkleRoot(items.slice(0, 3))).to.not.equal(merkleRoot([...items.slice(0, 3), items[2]]));
  });
  it("matches the documented construction, recomputed with ethers (vector)", () => {
    const k = ethers.keccak256;
    const leaf = (i: number) => k(ethers.solidityPacked(["uint8", "uint8"], [0, i]));
    const node = (a: string, b: string) => k(ethers.solidityPacked(["uint8", "bytes32", "bytes32"], [1, a, b]));
    const tree = node(node(leaf(1), leaf(2)), leaf(3));
    const expected = k(ethers.solidityPacked(["uint64", "bytes32"], [3, tree]));
    expect(merkleRoot(items.slice(0, 3))).to.equal(expected);
    expect(expected).to.equal("0xeb99a0bd0db414157f6a2707ac56d25a28e5b7e91ba27eeabd9e59b8e63067ca");
  });

  it("distinguishes a leaf from an inner node (domain-separated)", () => {
    const leafA = fromHex(keccak256Hex(new Uint8Array([0, 1])));
    const leafB = fromHex(keccak256Hex(new Uint8Array([0, 2])));
    const inner = new Uint8Array([...leafA, ...leafB]);
    expect(merkleRoot([inner])).to.not.equal(merkleRoot(items.slice(0, 2)));
  });
});

describe("signatures", () => {
  const key = testKey(1);
  const digest = signingDigest(SignDomain.PREVOTE, 1337n, new Uint8Array([1, 2, 3]));

  it("recover the signer, the same address ethers recovers", () => {
    const sig = signDigest(digest, key.privateKey);
    expect(recoverSigner(digest, sig)).to.equal(key.address);
    expect(ethers.recoverAddress(digest, sig).toLowerCase()).to.equal(key.address);
    expect(new ethers.Wallet(toHex(key.privateKey)).address.toLowerCase()).to.equal(key.address);
  });

  it("are bound to their domain: a prevote never verifies as a precommit", () => {
    const hash = `0x${"ab".repeat(32)}` as const;
    const prevote = voteDigest("prevote", 1337n, 5, 0, hash);
    const precommit = voteDigest("precommit", 1337n, 5, 0, hash);
    const sig = signDigest(prevote, key.privateKey);
    expect(recoverSigner(precommit, sig)).to.not.equal(key.address);
    expect(recoverSigner(voteDigest("prevote", 1n, 5, 0, hash), sig)).to.not.equal(key.address);
  });

  it("reject malformed, high-s and bad-v signatures", () => {
    const sig = fromHex(signDigest(digest, key.privateKey));
    expect(recoverSigner(digest, "0x1234")).to.equal(null);
    const badV = new Uint8Array(sig);
    badV[64] = 29;
    expect(recoverSigner(digest, toHex(badV))).to.equal(null);
    // The malleable twin (n − s, flipped v) recovers the same key: refused.
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const s = BigInt(toHex(sig.subarray(32, 64)));
    const twin = new Uint8Array(sig);
    twin.set(fromHex(`0x${(n - s).toString(16).padStart(64, "0")}`), 32);
    twin[64] = sig[64] === 27 ? 28 : 27;
    expect(recoverSigner(digest, toHex(twin))).to.equal(null);
  });
});
