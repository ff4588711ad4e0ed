import { AbiCoder, keccak256, verifyTypedData, ZeroHash, type TypedDataDomain, type TypedDataField } from "ethers";
import type { Address, Hex } from "../types/primitives";
import { CANDIDATE_CONSENT_TYPES, signCandidateConsent, type CandidateConsent } from "../types/eip712";
import { AuditorError, AuditorErrorCode } from "./errors";

/**
 * What a node sends an auditor to apply for candidacy (the patent's qualification information),
 * its EIP-712 schema, and the two hashes derived from it. Defined once here and used by the
 * service, the `apply` client, the Hardhat task and the tests.
 *
 * This is the service's own typed message, distinct from CandidateRegistry's on-chain
 * `Application`: it carries the full qualification, while the chain only stores its hash.
 */
export interface Qualification {
  /** The deposit in wei the operator will escrow at registration, or has paid in `depositTx`. */
  readonly deposit: bigint;
  /** The L1 transaction that paid the deposit, or the zero hash when it is escrowed at registration. */
  readonly depositTx: Hex;
  /** The credit value the account claims; checked against the auditor's credit source. */
  readonly creditValue: bigint;
  /**
   * The device measurements: one finished challenge per auditor (ascending by auditor). Each auditor
   * reviews the figures it measured itself and only checks that its own entry is the one it recorded;
   * the others are committed to, so every credential names the same qualificationHash.
   */
  readonly measurements: readonly MeasurementReference[];
}

/** A qualification challenge finished at `auditor`, cited by the hash of its transcript. */
export interface MeasurementReference {
  readonly auditor: Address;
  readonly challenge: Hex;
  readonly transcriptHash: Hex;
}

export interface CandidateApplication {
  /** The candidate node's address: the key that signs the application. */
  readonly candidate: Address;
  /** The account that will call registerCandidate and pay the deposit. */
  readonly operator: Address;
  readonly qualification: Qualification;
  /** The candidate's current CandidateRegistry.registrationNonce: an application is good for one registration. */
  readonly nonce: bigint;
  /**
   * false: a registration (the auditors sign `Credential`s). true: the renewal of the standing
   * registration `nonce` by its operator (the auditors sign `Renewal`s for renewCredentials, which
   * can never register anyone).
   */
  readonly renew: boolean;
}

/**
 * An application with the candidate key's two EIP-712 signatures: over the application (for the
 * auditors) and its CandidateConsent(candidate, operator, nonce) in CandidateRegistry's domain (for
 * the contract, which registers the candidate only with it and only when sent by that operator).
 */
export interface SignedApplication {
  readonly application: CandidateApplication;
  readonly signature: Hex;
  readonly consentSignature: Hex;
}

/** Where an application is valid: the L1 chain and the CandidateRegistry the credentials are for. */
export interface ApplicationDomainParams {
  readonly chainId: bigint;
  readonly candidateRegistry: Address;
}

export const APPLICATION_DOMAIN_NAME = "RepchainAuditor";
export const APPLICATION_DOMAIN_VERSION = "1";

export const APPLICATION_TYPES: Record<string, TypedDataField[]> = {
  CandidateApplication: [
    { name: "candidate", type: "address" },
    { name: "operator", type: "address" },
    { name: "qualification", type: "Qualification" },
    { name: "nonce", type: "uint256" },
    { name: "renew", type: "bool" },
  ],
  Measurement: [
    { name: "auditor", type: "address" },
    { name: "challenge", type: "bytes32" },
    { name: "transcriptHash", type: "bytes32" },
  ],
  Qualification: [
    { name: "deposit", type: "uint256" },
    { name: "depositTx", type: "bytes32" },
    { name: "creditValue", type: "uint256" },
    { name: "measurements", type: "Measurement[]" },
  ],
};

/** The canonical ABI tuple of a qualification: the order and types of APPLICATION_TYPES.Qualification. */
const QUALIFICATION_ABI = [
  "uint256",
  "bytes32",
  "uint256",
  "tuple(address auditor, bytes32 challenge, bytes32 transcriptHash)[]",
];

export function applicationDomain(params: ApplicationDomainParams): TypedDataDomain {
  return {
    name: APPLICATION_DOMAIN_NAME,
    version: APPLICATION_DOMAIN_VERSION,
    chainId: params.chainId,
    verifyingContract: params.candidateRegistry,
  };
}

/**
 * keccak256 of the qualification's canonical ABI encoding: the `qualificationHash` that goes on chain.
 * Through the transcript hashes it commits to every challenge the auditors ran.
 */
export function qualificationHash(q: Qualification): Hex {
  const encoded = AbiCoder.defaultAbiCoder().encode(QUALIFICATION_ABI, [
    q.deposit,
    q.depositTx,
    q.creditValue,
    q.measurements,
  ]);
  return keccak256(encoded) as Hex;
}

/**
 * The application's id: a hash of its whole content, its nonce and its domain. The same
 * application sent twice has the same id (a replay); after a registration the nonce moves on, so
 * the old application can never be accepted again. The signature is left out on purpose: a second
 * valid signature over the same content (ECDSA malleability) must not make a new application.
 */
export function applicationId(app: CandidateApplication, params: ApplicationDomainParams): Hex {
  const encoded = AbiCoder.defaultAbiCoder().encode(
    ["uint256", "address", "address", "address", "bytes32", "uint256", "bool"],
    [
      params.chainId,
      params.candidateRegistry,
      app.candidate,
      app.operator,
      qualificationHash(app.qualification),
      app.nonce,
      app.renew,
    ],
  );
  return keccak256(encoded) as Hex;
}

/** Recovers the address that signed the application (lowercase); the caller compares it with the candidate. */
export function recoverApplicationSigner(signed: SignedApplication, params: ApplicationDomainParams): Address {
  return recoverTypedSigner(() =>
    verifyTypedData(applicationDomain(params), APPLICATION_TYPES, signed.application, signed.signature),
  );
}

/** Runs an ethers recovery; a signature that cannot be recovered at all becomes BAD_SIGNATURE, not a crash. */
export function recoverTypedSigner(recover: () => string): Address {
  try {
    return recover().toLowerCase() as Address;
  } catch (err) {
    throw new AuditorError(AuditorErrorCode.BAD_SIGNATURE, `signature cannot be recovered: ${(err as Error).message}`);
  }
}

/** The signer side, for any ethers signer (Wallet, hardhat signer, JsonRpcSigner). */
export interface TypedDataSigner {
  getAddress(): Promise<string>;
  signTypedData(
    domain: TypedDataDomain,
    types: Record<string, TypedDataField[]>,
    value: Record<string, unknown>,
  ): Promise<string>;
}

/** Signs the application and the candidate's consent; `registryDomain` is CandidateRegistry's eip712Domain(). */
export async function signApplication(
  signer: TypedDataSigner,
  application: CandidateApplication,
  params: ApplicationDomainParams,
  registryDomain: TypedDataDomain,
): Promise<SignedApplication> {
  const signature = await signer.signTypedData(applicationDomain(params), APPLICATION_TYPES, { ...application });
  const consentSignature = await signCandidateConsent(signer, registryDomain, consentOf(application));
  return { application, signature: signature as Hex, consentSignature: consentSignature as Hex };
}

/** The CandidateConsent an application implies: this candidate, registered by this operator, at this nonce. */
export function consentOf(app: CandidateApplication): CandidateConsent {
  return { candidate: app.candidate, operator: app.operator, nonce: app.nonce };
}

/** Recovers who signed the application's CandidateConsent (lowercase). */
export function recoverConsentSigner(signed: SignedApplication, registryDomain: TypedDataDomain): Address {
  return recoverTypedSigner(() =>
    verifyTypedData(
      registryDomain,
      CANDIDATE_CONSENT_TYPES,
      { ...consentOf(signed.application) },
      signed.consentSignature,
    ),
  );
}

/** A qualification whose deposit is escrowed at registration (no separate payment transaction). */
export const NO_DEPOSIT_TX: Hex = ZeroHash as Hex;
