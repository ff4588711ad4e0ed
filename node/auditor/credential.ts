import { verifyTypedData, type TypedDataField } from "ethers";
import type { Address, Hex } from "../types/governance";
import type { ApplicationDomainParams, TypedDataSigner } from "./application";
import type { CredentialToSign } from "./service";

// TEMPORARY until the contracts branch lands node/types/eip712.ts: then these two functions
// delegate to it and the schema below goes away (it must be defined once).
const CREDENTIAL_TYPES: Record<string, TypedDataField[]> = {
  Credential: [
    { name: "candidate", type: "address" },
    { name: "qualificationHash", type: "bytes32" },
    { name: "approve", type: "bool" },
    { name: "issuedAt", type: "uint64" },
    { name: "expiresAt", type: "uint64" },
    { name: "nonce", type: "uint256" },
  ],
};

function credentialDomain(params: ApplicationDomainParams) {
  return {
    name: "CandidateRegistry",
    version: "1",
    chainId: params.chainId,
    verifyingContract: params.candidateRegistry,
  };
}

export async function signCredentialWith(
  signer: TypedDataSigner,
  credential: CredentialToSign,
  params: ApplicationDomainParams,
): Promise<Hex> {
  return (await signer.signTypedData(credentialDomain(params), CREDENTIAL_TYPES, { ...credential })) as Hex;
}

export function recoverCredentialSigner(
  credential: CredentialToSign,
  signature: Hex,
  params: ApplicationDomainParams,
): Address {
  const fields = {
    candidate: credential.candidate,
    qualificationHash: credential.qualificationHash,
    approve: credential.approve,
    issuedAt: credential.issuedAt,
    expiresAt: credential.expiresAt,
    nonce: credential.nonce,
  };
  return verifyTypedData(credentialDomain(params), CREDENTIAL_TYPES, fields, signature).toLowerCase() as Address;
}
