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
const APP: CandidateApplication = {
  candidate: "0x00000000000000000000000000000000000000c1",
  operator: "0x00000000000000000000000000000000000000a1",
  qualification: {
    powHashesPerSecond: 250_000n,
    sigVerificationsPerSecond: 15_000n,
    measuredAt: 1_700_000_000n,
    deposit: 10n ** 18n,
    depositTx: NO_DEPOSIT_TX,
    creditValue: 100n,
  },
  nonce: 0n,
};

const hex32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `0x${Buffer.from(b).toString("hex")}` as Hex);
const address = fc
  .uint8Array({ minLength: 20, maxLength: 20 })
  .map((b) => `0x${Buffer.from(b).toString("hex")}` as Address);
const arbitraryApplication: fc.Arbitrary<CandidateApplication> = fc.record({
  candidate: address,
  operator: address,
  qualification: fc.record({
    powHashesPerSecond: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    sigVerificationsPerSecond: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    measuredAt: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    deposit: fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
    depositTx: hex32,
    creditValue: fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
  }),
  nonce: fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
});

describe("auditor application: canonical hashes, signatures and wire format", function () {
  it("hashes the qualification as keccak256 of its ABI tuple, in the schema's field order", function () {
    const q = APP.qualification;
    const tuple = AbiCoder.defaultAbiCoder().encode(
      ["uint64", "uint64", "uint64", "uint256", "bytes32", "uint256"],
      [q.powHashesPerSecond, q.sigVerificationsPerSecond, q.measuredAt, q.deposit, q.depositTx, q.creditValue],
    );
    expect(tuple.length).to.equal(2 + 6 * 64);
    expect(qualificationHash(q)).to.equal(keccak256(tuple));
  });

  it("gives every field of the qualification a say in its hash", function () {
    const base = qualificationHash(APP.qualification);
    for (const key of Object.keys(APP.qualification) as (keyof CandidateApplication["qualification"])[]) {
      const value = APP.qualification[key];
      const changed = typeof value === "bigint" ? value + 1n : (`0x${"01".repeat(32)}` as Hex);
      expect(qualificationHash({ ...APP.qualification, [key]: changed }), key).to.not.equal(base);
    }
  });

  it("derives a different id for another nonce, chain, registry or operator", function () {
    const id = applicationId(APP, DOMAIN);
    expect(applicationId({ ...APP, nonce: 1n }, DOMAIN)).to.not.equal(id);
    expect(applicationId(APP, { ...DOMAIN, chainId: 1n })).to.not.equal(id);
    expect(applicationId(APP, { ...DOMAIN, candidateRegistry: APP.operator })).to.not.equal(id);
    expect(applicationId({ ...APP, operator: APP.candidate }, DOMAIN)).to.not.equal(id);
    expect(applicationId({ ...APP }, DOMAIN)).to.equal(id);
  });

  it("recovers the candidate from its signature and another key from a forgery", async function () {
    const candidate = randomWallet();
    const app = { ...APP, candidate: candidate.address.toLowerCase() as Address };
    const signed = await signApplication(candidate, app, DOMAIN);
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
