import { expect } from "chai";
import fc from "fast-check";
import { AbiCoder, keccak256 } from "ethers";
import {
  applicationId,
  NO_DEPOSIT_TX,
  qualificationHash,
  recoverApplicationSigner,
  signApplication,
  type CandidateApplication,
} from "../../node/auditor/application";
import { AuditorError } from "../../node/auditor/errors";
import { applicationFromJson, applicationToJson } from "../../node/auditor/apiJson";
import type { Address, Hex } from "../../node/types/primitives";
import { randomWallet } from "./fixture";

const DOMAIN = { chainId: 31337n, candidateRegistry: "0x5fbdb2315678afecb367f032d93f642f64180aa3" as Address };
const REGISTRY_DOMAIN = {
  name: "CandidateRegistry",
  version: "1",
  chainId: DOMAIN.chainId,
  verifyingContract: DOMAIN.candidateRegistry,
};
const APP: CandidateApplication = {
  candidate: "0x00000000000000000000000000000000000000c1",
  operator: "0x00000000000000000000000000000000000000a1",
  qualification: {
    deposit: 10n ** 18n,
    depositTx: NO_DEPOSIT_TX,
    creditValue: 100n,
    measurements: [
      {
        auditor: "0x00000000000000000000000000000000000000d1",
        challenge: `0x${"c1".repeat(32)}`,
        transcriptHash: `0x${"e1".repeat(32)}`,
      },
      {
        auditor: "0x00000000000000000000000000000000000000d2",
        challenge: `0x${"c2".repeat(32)}`,
        transcriptHash: `0x${"e2".repeat(32)}`,
      },
    ],
  },
  nonce: 0n,
  renew: false,
};

const hex32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `0x${Buffer.from(b).toString("hex")}` as Hex);
const address = fc
  .uint8Array({ minLength: 20, maxLength: 20 })
  .map((b) => `0x${Buffer.from(b).toString("hex")}` as Address);
const arbitraryApplication: fc.Arbitrary<CandidateApplication> = fc.record({
  candidate: address,
  operator: address,
  qualification: fc.record({
    deposit: fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
    depositTx: hex32,
    creditValue: fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
    // One per auditor, ascending: the only form the wire accepts.
    measurements: fc
      .uniqueArray(fc.record({ auditor: address, challenge: hex32, transcriptHash: hex32 }), {
        maxLength: 5,
        selector: (m) => m.auditor,
      })
      .map((list) => list.sort((a, b) => (a.auditor < b.auditor ? -1 : 1))),
  }),
  nonce: fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
  renew: fc.boolean(),
});

describe("auditor application: canonical hashes, signatures and wire format", function () {
  it("hashes the qualification as keccak256 of its ABI tuple, in the schema's field order", function () {
    const q = APP.qualification;
    const tuple = AbiCoder.defaultAbiCoder().encode(
      ["uint256", "bytes32", "uint256", "tuple(address, bytes32, bytes32)[]"],
      [q.deposit, q.depositTx, q.creditValue, q.measurements.map((m) => [m.auditor, m.challenge, m.transcriptHash])],
    );
    // Three words, the array's offset, its length and three words per measurement.
    expect(tuple.length).to.equal(2 + (4 + 1 + 3 * q.measurements.length) * 64);
    expect(qualificationHash(q)).to.equal(keccak256(tuple));
  });

  it("gives every field of the qualification, and every cited transcript, a say in its hash", function () {
    const q = APP.qualification;
    const base = qualificationHash(q);
    const other = `0x${"01".repeat(32)}` as Hex;
    expect(qualificationHash({ ...q, deposit: q.deposit + 1n })).to.not.equal(base);
    expect(qualificationHash({ ...q, creditValue: q.creditValue + 1n })).to.not.equal(base);
    expect(qualificationHash({ ...q, depositTx: other })).to.not.equal(base);
    const [first, second] = q.measurements;
    expect(qualificationHash({ ...q, measurements: [first] })).to.not.equal(base);
    expect(qualificationHash({ ...q, measurements: [first, { ...second, transcriptHash: other }] })).to.not.equal(base);
    expect(qualificationHash({ ...q, measurements: [first, { ...second, challenge: other }] })).to.not.equal(base);
  });

  it("accepts measurements only one per auditor, ascending by auditor", function () {
    const json = applicationToJson(APP);
    const [first, second] = json.qualification.measurements;
    for (const measurements of [
      [second, first],
      [first, first],
    ]) {
      const bad = { ...json, qualification: { ...json.qualification, measurements } };
      expect(() => applicationFromJson(bad)).to.throw(AuditorError, "ascending by auditor address");
    }
  });

  it("derives a different id for another nonce, chain, registry, operator or kind", function () {
    const id = applicationId(APP, DOMAIN);
    expect(applicationId({ ...APP, nonce: 1n }, DOMAIN)).to.not.equal(id);
    expect(applicationId(APP, { ...DOMAIN, chainId: 1n })).to.not.equal(id);
    expect(applicationId(APP, { ...DOMAIN, candidateRegistry: APP.operator })).to.not.equal(id);
    expect(applicationId({ ...APP, operator: APP.candidate }, DOMAIN)).to.not.equal(id);
    expect(applicationId({ ...APP, renew: true }, DOMAIN), "a renewal is not the registration").to.not.equal(id);
    expect(applicationId({ ...APP }, DOMAIN)).to.equal(id);
  });

  it("recovers the candidate from its signature and another key from a forgery", async function () {
    const candidate = randomWallet();
    const app = { ...APP, candidate: candidate.address.toLowerCase() as Address };
    const signed = await signApplication(candidate, app, DOMAIN, REGISTRY_DOMAIN);
    expect(recoverApplicationSigner(signed, DOMAIN)).to.equal(app.candidate);
    const tampered = { ...signed, application: { ...app, nonce: 1n } };
    expect(recoverApplicationSigner(tampered, DOMAIN)).to.not.equal(app.candidate);
    expect(() => recoverApplicationSigner({ ...signed, signature: `0x${"00".repeat(65)}` }, DOMAIN)).to.throw(
      AuditorError,
    );
  });

  it("round-trips any application through its JSON wire format", function () {
    fc.assert(
      fc.property(arbitraryApplication, (app) => {
        const back = applicationFromJson(JSON.parse(JSON.stringify(applicationToJson(app))));
        expect(back).to.deep.equal(app);
        expect(qualificationHash(back.qualification)).to.equal(qualificationHash(app.qualification));
      }),
      { numRuns: 200 },
    );
  });
});
