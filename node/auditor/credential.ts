import { verifyTypedData, type TypedDataDomain } from "ethers";
import type { Address, Hex } from "../types/primitives";
import {
  CREDENTIAL_TYPES,
  RENEWAL_TYPES,
  signCredential,
  signRenewal,
  type Credential,
  type Renewal,
  type TypedDataSigner,
} from "../types/eip712";

/**
 * What an auditor signs for an approved application, and who signed one: a CandidateRegistry
 * `Credential` for a registration, or a `Renewal` for renewCredentials when `renewal` is set (then
 * `nonce` is its `registration`). The schemas and signers live in node/types/eip712.ts; the domain is
 * the registry's eip712Domain().
 */
export interface CredentialFields extends Credential {
  /** The candidate's renewalNonce, for a Renewal; absent for a Credential. */
  readonly renewal?: bigint;
}

export function signCredentialFields(
  signer: TypedDataSigner,
  domain: TypedDataDomain,
  fields: CredentialFields,
): Promise<string> {
  return fields.renewal === undefined
    ? signCredential(signer, domain, credentialOf(fields))
    : signRenewal(signer, domain, renewalOf(fields, fields.renewal));
}

/** The address that signed `fields` (lowercase). */
export function recoverCredentialSigner(domain: TypedDataDomain, fields: CredentialFields, signature: Hex): Address {
  const signer =
    fields.renewal === undefined
      ? verifyTypedData(domain, CREDENTIAL_TYPES, { ...credentialOf(fields) }, signature)
      : verifyTypedData(domain, RENEWAL_TYPES, { ...renewalOf(fields, fields.renewal) }, signature);
  return signer.toLowerCase() as Address;
}

// Only the signed fields: an IssuedCredential also carries the auditor and the signature.
function credentialOf(c: CredentialFields): Credential {
  const { candidate, operator, qualificationHash, approve, issuedAt, expiresAt, nonce } = c;
  return { candidate, operator, qualificationHash, approve, issuedAt, expiresAt, nonce };
}

function renewalOf(c: CredentialFields, renewal: bigint): Renewal {
  const { candidate, operator, qualificationHash, approve, issuedAt, expiresAt, nonce } = c;
  return { candidate, operator, qualificationHash, approve, issuedAt, expiresAt, registration: nonce, renewal };
}
