import { AbiCoder, keccak256, verifyTypedData, ZeroHash, type TypedDataDomain, type TypedDataField } from "ethers";
import type { Address, Hex } from "../types/primitives";
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
  /** Measured keccak256 PoW hashes per second (uint64). */
  readonly powHashesPerSecond: bigint;
  /** Measured secp256k1 signature verifications per second (uint64). */
  readonly sigVerificationsPerSecond: bigint;
  /** When the device was measured, unix seconds (uint64). */
  readonly measuredAt: bigint;
  /** The deposit in wei the operator will escrow at registration, or has paid in `depositTx`. */
  readonly deposit: bigint;
  /** The L1 transaction that paid the deposit, or the zero hash when it is escrowed at registration. */
  readonly depositTx: Hex;
  /** The credit value the account claims; checked against the auditor's credit source. */
  readonly creditValue: bigint;
}

export interface CandidateApplication {
  /** The candidate node's address: the key that signs the application. */
  readonly candidate: Address;
  /** The account that will call registerCandidate and pay the deposit. */
  readonly operator: Address;
  readonly qualification: Qualification;
  /** The candidate's current CandidateRegistry.registrationNonce: an application is good for one registration. */
  readonly nonce: bigint;
}

/** An application with the candidate's EIP-712 signature over it. */
export interface SignedApplication {
  readonly application: CandidateApplication;
  readonly signature: Hex;
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
  ],
  Qualification: [
    { name: "powHashesPerSecond", type: "uint64" },
    { name: "sigVerificationsPerSecond", type: "uint64" },
    { name: "measuredAt", type: "uint64" },
    { name: "deposit", type: "uint256" },
    { name: "depositTx", type: "bytes32" },
    { name: "creditValue", type: "uint256" },
  ],
};

/** The canonical ABI tuple of a qualification: the order and types of APPLICATION_TYPES.Qualification. */
const QUALIFICATION_ABI = ["uint64", "uint64", "uint64", "uint256", "bytes32", "uint256"];

export function applicationDomain(params: ApplicationDomainParams): TypedDataDomain {
  return {
    name: APPLICATION_DOMAIN_NAME,
    version: APPLICATION_DOMAIN_VERSION,
    chainId: params.chainId,
    verifyingContract: params.candidateRegistry,
  };
}

/** keccak256 of the qualification's canonical ABI encoding: the `qualificationHash` that goes on chain. */
export function qualificationHash(q: Qualification): Hex {
  const encoded = AbiCoder.defaultAbiCoder().encode(QUALIFICATION_ABI, [
    q.powHashesPerSecond,
    q.sigVerificationsPerSecond,
    q.measuredAt,
    q.deposit,
    q.depositTx,
    q.creditValue,
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
    ["uint256", "address", "address", "address", "bytes32", "uint256"],
    [
      params.chainId,
      params.candidateRegistry,
      app.candidate,
      app.operator,
      qualificationHash(app.qualification),
      app.nonce,
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

export async function signApplication(
  signer: TypedDataSigner,
  application: CandidateApplication,
  params: ApplicationDomainParams,
): Promise<SignedApplication> {
  const signature = await signer.signTypedData(applicationDomain(params), APPLICATION_TYPES, { ...application });
  return { application, signature: signature as Hex };
}

/** A qualification whose deposit is escrowed at registration (no separate payment transaction). */
export const NO_DEPOSIT_TX: Hex = ZeroHash as Hex;
