import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { TypedDataEncoder } from "ethers";
import {
  CANDIDATE_CONSENT_TYPES,
  CREDENTIAL_TYPES,
  RENEWAL_TYPES,
  REVOCATION_TYPES,
  SIGNING_KEY_CONSENT_TYPES,
  VOTE_TYPES,
  auditorSignature,
  readDomain,
  typedDataPayload,
} from "../../node/types/eip712";
import { MIN_DEPOSIT, candidateAddress, consentFor, credentialFor, deployFixture, qualificationHash } from "./fixtures";

/** Signs as a wallet does: the node's eth_signTypedData_v4 with the JSON payload. */
async function walletSign(account: string, payload: string): Promise<string> {
  return (await network.provider.send("eth_signTypedData_v4", [account, payload])) as string;
}

describe("EIP-712 schemas (node/types/eip712.ts)", () => {
  it("match the contracts' typehashes", async () => {
    const { registry, voteRegistry } = await loadFixture(deployFixture);
    const typehash = (types: typeof CREDENTIAL_TYPES, name: string) =>
      ethers.id(TypedDataEncoder.from(types).encodeType(name));
    expect(typehash(CREDENTIAL_TYPES, "Credential")).to.equal(await registry.CREDENTIAL_TYPEHASH());
    expect(typehash(RENEWAL_TYPES, "Renewal")).to.equal(await registry.RENEWAL_TYPEHASH());
    expect(typehash(CANDIDATE_CONSENT_TYPES, "CandidateConsent")).to.equal(await registry.CANDIDATE_CONSENT_TYPEHASH());
    expect(typehash(SIGNING_KEY_CONSENT_TYPES, "SigningKeyConsent")).to.equal(
      await registry.SIGNING_KEY_CONSENT_TYPEHASH(),
    );
    expect(typehash(REVOCATION_TYPES, "Revocation")).to.equal(await registry.REVOCATION_TYPEHASH());
    // The exact type strings.
    expect(TypedDataEncoder.from(CREDENTIAL_TYPES).encodeType("Credential")).to.equal(
      "Credential(address candidate,address operator,bytes32 qualificationHash,bool approve,uint64 issuedAt," +
        "uint64 expiresAt,uint256 nonce)",
    );
    expect(TypedDataEncoder.from(CANDIDATE_CONSENT_TYPES).encodeType("CandidateConsent")).to.equal(
      "CandidateConsent(address candidate,address operator,uint256 nonce)",
    );
    expect(typehash(VOTE_TYPES, "Vote")).to.equal(await voteRegistry.VOTE_TYPEHASH());
  });

  it("reads each registry's domain from eip712Domain()", async () => {
    const { registry, voteRegistry, owner } = await loadFixture(deployFixture);
    const { chainId } = await ethers.provider.getNetwork();
    expect(await readDomain(owner, await registry.getAddress())).to.deep.equal({
      name: "CandidateRegistry",
      version: "1",
      chainId,
      verifyingContract: await registry.getAddress(),
    });
    expect(await readDomain(owner, await voteRegistry.getAddress())).to.deep.equal({
      name: "VoteRegistry",
      version: "1",
      chainId,
      verifyingContract: await voteRegistry.getAddress(),
    });
  });

  it("registers a candidate with credentials signed through eth_signTypedData_v4", async () => {
    const { registry, domain, auditors, operator } = await loadFixture(deployFixture);
    const C = candidateAddress(0);
    const credential = await credentialFor(registry, C, qualificationHash(0));
    const signatures = [];
    for (const auditor of auditors.slice(0, 3)) {
      const signature = await walletSign(
        auditor.address,
        typedDataPayload(domain, CREDENTIAL_TYPES, { ...credential }),
      );
      expect(signature).to.equal(await auditor.signTypedData(domain, CREDENTIAL_TYPES, credential));
      signatures.push(auditorSignature(credential, signature));
    }
    const consentSignature = await consentFor(domain, credential);
    const app = { candidate: C, operator: operator.address, qualificationHash: qualificationHash(0), signatures };
    await expect(
      registry.connect(operator).registerCandidate({ ...app, consentSignature }, { value: MIN_DEPOSIT }),
    ).to.emit(registry, "CandidateRegistered");
  });

  it("relays a vote signed through eth_signTypedData_v4", async () => {
    const fx = await loadFixture(deployFixture);
    const C = candidateAddress(0);
    const credential = await credentialFor(fx.registry, C, qualificationHash(0));
    const signatures = [];
    for (const auditor of fx.auditors.slice(0, 3)) {
      signatures.push(
        auditorSignature(credential, await auditor.signTypedData(fx.domain, CREDENTIAL_TYPES, credential)),
      );
    }
    const consentSignature = await consentFor(fx.domain, credential);
    const app = { candidate: C, operator: fx.operator.address, qualificationHash: qualificationHash(0), signatures };
    await fx.registry.connect(fx.operator).registerCandidate({ ...app, consentSignature }, { value: MIN_DEPOSIT });
    const voter = fx.voters[0];
    const voteDomain = await readDomain(voter, await fx.voteRegistry.getAddress());
    const deadline = BigInt(await time.latest()) + 600n;
    const message = { voter: voter.address, add: [C], revoke: [], nonce: 0n, deadline };
    const signature = await walletSign(voter.address, typedDataPayload(voteDomain, VOTE_TYPES, message));
    await expect(fx.voteRegistry.connect(fx.stranger).voteBySig(voter.address, [C], [], deadline, signature))
      .to.emit(fx.voteRegistry, "VoteCast")
      .withArgs(voter.address, C, 1n);
  });
});
