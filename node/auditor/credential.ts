import { verifyTypedData, type TypedDataDomain } from "ethers";
import type { Address, Hex } from "../types/primitives";
import { CREDENTIAL_TYPES, type Credential } from "../types/eip712";

/**
 * Checks a CandidateRegistry credential before anyone relies on it (the bundle, the client): who
 * signed it. The schema and the signer live in node/types/eip712.ts; the domain is read from the
 * registry's eip712Domain().
 */
export function recoverCredentialSigner(domain: TypedDataDomain, credential: Credential, signature: Hex): Address {
  const fields: Credential = {
    candidate: credential.candidate,
    qualificationHash: credential.qualificationHash,
    approve: credential.approve,
    issuedAt: credential.issuedAt,
    expiresAt: credential.expiresAt,
    nonce: credential.nonce,
  };
  return verifyTypedData(domain, CREDENTIAL_TYPES, { ...fields }, signature).toLowerCase() as Address;
}
