/**
 * The EIP-712 typed data of the registries, defined once for node/, scripts/ and test/.
 * The type strings must match the contracts' typehashes (CandidateRegistry.CREDENTIAL_TYPEHASH,
 * RENEWAL_TYPEHASH, CANDIDATE_CONSENT_TYPEHASH, SIGNING_KEY_CONSENT_TYPEHASH, REVOCATION_TYPEHASH,
 * VoteRegistry.VOTE_TYPEHASH); test/contracts/eip712.ts checks that they do.
 */
import { Contract, TypedDataEncoder } from "ethers";
import type { ContractRunner, TypedDataDomain, TypedDataField } from "ethers";

/** An auditor's verdict on a candidate's application, good for the registration with `nonce`, sent by `operator`. */
export interface Credential {
  candidate: string;
  /** The only account that may send the application (CandidateRegistry checks msg.sender). */
  operator: string;
  qualificationHash: string;
  approve: boolean;
  issuedAt: bigint;
  expiresAt: bigint;
  /** The candidate's registrationNonce when the credential is used. */
  nonce: bigint;
}

/** An auditor's renewal of a standing registration: `registration` = registrationNonce, `renewal` = renewalNonce. */
export interface Renewal {
  candidate: string;
  operator: string;
  qualificationHash: string;
  approve: boolean;
  issuedAt: bigint;
  expiresAt: bigint;
  registration: bigint;
  renewal: bigint;
}

/** The candidate key's consent to be registered by `operator`; `nonce` = registrationNonce(candidate). */
export interface CandidateConsent {
  candidate: string;
  operator: string;
  nonce: bigint;
}

/** A new signing key's consent to sign for `candidate`; `nonce` = registrationNonce(candidate). */
export interface SigningKeyConsent {
  candidate: string;
  operator: string;
  signingKey: string;
  nonce: bigint;
}

/** Auditors' request to remove a candidate, bound to its current registration by `nonce`. */
export interface Revocation {
  candidate: string;
  reason: string;
  nonce: bigint;
}

/** A voter's change to its approval set, relayed by anyone through VoteRegistry.voteBySig. */
export interface Vote {
  voter: string;
  add: string[];
  revoke: string[];
  nonce: bigint;
  deadline: bigint;
}

type Types = Record<string, TypedDataField[]>;

export const CREDENTIAL_TYPES: Types = {
  Credential: [
    { name: "candidate", type: "address" },
    { name: "operator", type: "address" },
    { name: "qualificationHash", type: "bytes32" },
    { name: "approve", type: "bool" },
    { name: "issuedAt", type: "uint64" },
    { name: "expiresAt", type: "uint64" },
    { name: "nonce", type: "uint256" },
  ],
};

export const RENEWAL_TYPES: Types = {
  Renewal: [
    { name: "candidate", type: "address" },
    { name: "operator", type: "address" },
    { name: "qualificationHash", type: "bytes32" },
    { name: "approve", type: "bool" },
    { name: "issuedAt", type: "uint64" },
    { name: "expiresAt", type: "uint64" },
    { name: "registration", type: "uint256" },
    { name: "renewal", type: "uint256" },
  ],
};

export const CANDIDATE_CONSENT_TYPES: Types = {
  CandidateConsent: [
    { name: "candidate", type: "address" },
    { name: "operator", type: "address" },
    { name: "nonce", type: "uint256" },
  ],
};

export const SIGNING_KEY_CONSENT_TYPES: Types = {
  SigningKeyConsent: [
    { name: "candidate", type: "address" },
    { name: "operator", type: "address" },
    { name: "signingKey", type: "address" },
    { name: "nonce", type: "uint256" },
  ],
};

export const REVOCATION_TYPES: Types = {
  Revocation: [
    { name: "candidate", type: "address" },
    { name: "reason", type: "bytes32" },
    { name: "nonce", type: "uint256" },
  ],
};

export const VOTE_TYPES: Types = {
  Vote: [
    { name: "voter", type: "address" },
    { name: "add", type: "address[]" },
    { name: "revoke", type: "address[]" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** The signed-typed-data capability of an ethers Signer (a Wallet or a JSON-RPC account). */
export interface TypedDataSigner {
  signTypedData(domain: TypedDataDomain, types: Types, value: Record<string, unknown>): Promise<string>;
}

const ERC5267_ABI = [
  "function eip712Domain() view returns (bytes1 fields, string name, string version, uint256 chainId, " +
    "address verifyingContract, bytes32 salt, uint256[] extensions)",
];

/** Reads a contract's EIP-712 domain through ERC-5267 `eip712Domain()`, so it is never restated by hand. */
export async function readDomain(runner: ContractRunner, address: string): Promise<TypedDataDomain> {
  const contract = new Contract(address, ERC5267_ABI, runner);
  const [, name, version, chainId, verifyingContract] = (await contract.eip712Domain()) as [
    string,
    string,
    string,
    bigint,
    string,
  ];
  return { name, version, chainId, verifyingContract };
}

export function signCredential(signer: TypedDataSigner, domain: TypedDataDomain, credential: Credential) {
  return signer.signTypedData(domain, CREDENTIAL_TYPES, { ...credential });
}

export function signRenewal(signer: TypedDataSigner, domain: TypedDataDomain, renewal: Renewal) {
  return signer.signTypedData(domain, RENEWAL_TYPES, { ...renewal });
}

export function signCandidateConsent(signer: TypedDataSigner, domain: TypedDataDomain, consent: CandidateConsent) {
  return signer.signTypedData(domain, CANDIDATE_CONSENT_TYPES, { ...consent });
}

export function signSigningKeyConsent(signer: TypedDataSigner, domain: TypedDataDomain, consent: SigningKeyConsent) {
  return signer.signTypedData(domain, SIGNING_KEY_CONSENT_TYPES, { ...consent });
}

export function signRevocation(signer: TypedDataSigner, domain: TypedDataDomain, revocation: Revocation) {
  return signer.signTypedData(domain, REVOCATION_TYPES, { ...revocation });
}

export function signVote(signer: TypedDataSigner, domain: TypedDataDomain, vote: Vote) {
  return signer.signTypedData(domain, VOTE_TYPES, { ...vote });
}

/** The JSON a wallet receives in `eth_signTypedData_v4` (with the EIP712Domain type filled in). */
export function typedDataPayload(domain: TypedDataDomain, types: Types, value: Record<string, unknown>): string {
  return JSON.stringify(TypedDataEncoder.getPayload(domain, types, value), (_key, v: unknown) =>
    typeof v === "bigint" ? v.toString() : v,
  );
}

/** The `AuditorSignature` tuple CandidateRegistry takes, from a credential (or renewal) and its signature. */
export function auditorSignature(
  credential: Pick<Credential, "approve" | "issuedAt" | "expiresAt">,
  signature: string,
) {
  return {
    approve: credential.approve,
    issuedAt: credential.issuedAt,
    expiresAt: credential.expiresAt,
    signature,
  };
}
