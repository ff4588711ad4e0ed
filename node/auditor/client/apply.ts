import { Contract, type ContractRunner, type Provider, type Signer, type TypedDataDomain } from "ethers";
import { readDomain } from "../../types/eip712";
import type { Address, Hex } from "../../types/primitives";
import {
  applicationId,
  NO_DEPOSIT_TX,
  signApplication,
  type ApplicationDomainParams,
  type CandidateApplication,
  type MeasurementReference,
  type SignedApplication,
} from "../application";
import { gatherBundle, type CredentialBundle } from "./bundle";
import { EthersRegistryView, type RegistryAddresses, type RegistryView } from "../service/l1Reads";
import { AuditorClient, AuditorHttpError } from "./client";
import { AuditorErrorCode } from "../errors";
import { explainRegistryError } from "../../l1/registryErrors";
import { measureAtAuditors } from "./qualify";

/**
 * The candidate's side of the audit (the `repchain apply` command and the Hardhat task): let every
 * auditor measure the device with its challenge, build and sign the application citing those
 * measurements, send it to every auditor, wait for their decisions, and optionally
 * register on CandidateRegistry with the gathered bundle and the deposit.
 */
export interface ApplyOptions {
  /** The candidate node's key: signs the application. */
  readonly candidate: Signer;
  /** The operator account: calls registerCandidate and pays the deposit. */
  readonly operator: Signer;
  readonly chain: RegistryView;
  readonly domain: ApplicationDomainParams;
  /** CandidateRegistry's EIP-712 domain (readDomain), to check the credentials before using them. */
  readonly credentialDomain: TypedDataDomain;
  readonly auditorUrls: readonly string[];
  readonly deposit: bigint;
  readonly creditValue: bigint;
  readonly depositTx?: Hex;
  /**
   * Renew the candidate's standing registration instead of registering: the auditors sign `Renewal`s
   * and `register` calls renewCredentials (no deposit moves).
   */
  readonly renew?: boolean;
  readonly register: boolean;
  readonly requestTimeoutMs: number;
  /** How long to wait for enough approvals before giving up. */
  readonly waitTimeoutMs: number;
  readonly pollIntervalMs: number;
  readonly onProgress?: (message: string) => void;
}

export interface ApplyResult {
  readonly id: Hex;
  readonly signed: SignedApplication;
  readonly threshold: bigint;
  readonly bundle: CredentialBundle;
  /** How each auditor's qualification challenge went. */
  readonly measurements: Record<string, string>;
  /** How each auditor answered the submission itself. */
  readonly submissions: Record<string, string>;
  /** The registerCandidate (or renewCredentials) transaction, when --register was given and enough auditors approved. */
  readonly registrationTx?: Hex;
}

export const REGISTER_CANDIDATE_ABI = [
  "function registerCandidate(tuple(address candidate, address operator, bytes32 qualificationHash, " +
    "tuple(bool approve, uint64 issuedAt, uint64 expiresAt, bytes signature)[] signatures, bytes consentSignature) app) payable",
  "function renewCredentials(tuple(address candidate, address operator, bytes32 qualificationHash, " +
    "tuple(bool approve, uint64 issuedAt, uint64 expiresAt, bytes signature)[] signatures, bytes consentSignature) app)",
];

export async function applyForCandidacy(opts: ApplyOptions): Promise<ApplyResult> {
  const progress = opts.onProgress ?? (() => undefined);
  const clients = opts.auditorUrls.map((url) => new AuditorClient(url, opts.requestTimeoutMs));
  const candidate = (await opts.candidate.getAddress()).toLowerCase() as Address;
  progress(`answering the auditors' qualification challenges…`);
  const measured = await measureAtAuditors(clients, candidate);
  for (const [url, outcome] of Object.entries(measured.outcomes)) progress(`${url}: ${outcome}`);

  const signed = await buildSignedApplication(opts, measured.references);
  const id = applicationId(signed.application, opts.domain);
  progress(`application ${id} signed by candidate ${signed.application.candidate}`);
  const submissions = await submitToAll(clients, signed);
  for (const [url, outcome] of Object.entries(submissions)) progress(`${url}: ${outcome}`);

  const threshold = await opts.chain.threshold();
  const bundle = await waitForDecisions(id, signed, clients, threshold, opts, progress);
  const approvals = BigInt(bundle.application.signatures.length);
  progress(`${approvals} of ${threshold} required approvals`);
  const result = { id, signed, threshold, bundle, measurements: measured.outcomes, submissions };
  if (!opts.register || approvals < threshold) return result;

  const registry = new Contract(opts.domain.candidateRegistry, REGISTER_CANDIDATE_ABI, opts.operator as ContractRunner);
  const method = opts.renew ? "renewCredentials" : "registerCandidate";
  const send = opts.renew
    ? registry.getFunction(method)(bundle.application)
    : registry.getFunction(method)(bundle.application, { value: opts.deposit });
  const tx = await send.catch((err: unknown) => {
    throw explainRegistryError(err, method);
  });
  progress(`${method} sent: ${tx.hash as string}`);
  const receipt = await tx.wait();
  if (!receipt || receipt.status !== 1) throw new Error(`${method} ${tx.hash as string} failed`);
  progress(`${opts.renew ? "renewed" : "registered"} in block ${receipt.blockNumber as number}`);
  return { ...result, registrationTx: tx.hash as Hex };
}

async function buildSignedApplication(
  opts: ApplyOptions,
  measurements: readonly MeasurementReference[],
): Promise<SignedApplication> {
  const candidate = (await opts.candidate.getAddress()).toLowerCase() as Address;
  const operator = (await opts.operator.getAddress()).toLowerCase() as Address;
  const application: CandidateApplication = {
    candidate,
    operator,
    qualification: {
      deposit: opts.deposit,
      depositTx: opts.depositTx ?? NO_DEPOSIT_TX,
      creditValue: opts.creditValue,
      measurements,
    },
    nonce: await opts.chain.registrationNonce(candidate),
    renew: opts.renew ?? false,
  };
  return signApplication(opts.candidate, application, opts.domain, opts.credentialDomain);
}

/** Sends to every auditor at once; an auditor that already has it (forwarded by a peer) is fine. */
async function submitToAll(clients: AuditorClient[], signed: SignedApplication): Promise<Record<string, string>> {
  const outcomes = await Promise.all(
    clients.map(async (client) => {
      try {
        return `accepted (${(await client.submit(signed)).status})`;
      } catch (err) {
        if (err instanceof AuditorHttpError && err.code === AuditorErrorCode.REPLAYED) return "already has it";
        if (err instanceof AuditorHttpError) return `refused: ${err.message}`;
        return `no answer: ${(err as Error).message}`;
      }
    }),
  );
  return Object.fromEntries(clients.map((c, i) => [c.baseUrl, outcomes[i]]));
}

async function waitForDecisions(
  id: Hex,
  signed: SignedApplication,
  clients: AuditorClient[],
  threshold: bigint,
  opts: ApplyOptions,
  progress: (message: string) => void,
): Promise<CredentialBundle> {
  const deadline = Date.now() + opts.waitTimeoutMs;
  for (;;) {
    const bundle = await gatherBundle(id, signed, clients, opts.credentialDomain);
    const approvals = BigInt(bundle.application.signatures.length);
    const undecided = bundle.auditors.filter((a) => a.answer === "pending").length;
    if (approvals >= threshold || undecided === 0 || Date.now() >= deadline) return bundle;
    progress(`waiting: ${approvals}/${threshold} approvals, ${undecided} auditor(s) still reviewing`);
    await new Promise((resolve) => setTimeout(resolve, opts.pollIntervalMs));
  }
}

/** What `apply` needs to know about L1, read from the registries themselves. */
export interface RegistryContext {
  readonly chain: RegistryView;
  readonly domain: ApplicationDomainParams;
  readonly credentialDomain: TypedDataDomain;
}

export async function readRegistryContext(provider: Provider, addresses: RegistryAddresses): Promise<RegistryContext> {
  const chain = new EthersRegistryView(provider, addresses);
  return {
    chain,
    domain: { chainId: await chain.chainId(), candidateRegistry: addresses.candidateRegistry },
    credentialDomain: await readDomain(provider, addresses.candidateRegistry),
  };
}

/**
 * Why these answers can never register (every auditor has answered and too few approved), naming
 * each auditor's answer and reason; undefined when they can, or when an auditor is still reviewing.
 */
export function whyNotEnoughApprovals(result: ApplyResult): string | undefined {
  const approvals = BigInt(result.bundle.application.signatures.length);
  if (approvals >= result.threshold) return undefined;
  if (result.bundle.auditors.some((a) => a.answer === "pending")) return undefined;
  const answers = result.bundle.auditors.map((a) => {
    // An auditor that refused the submission itself has no application: its refusal is the reason.
    const reason = a.answer === "unknown" ? result.submissions[a.url] : a.reason;
    return `${a.url} ${a.answer}${reason ? `: ${reason}` : ""}`;
  });
  return `not enough approvals to register: ${approvals} of ${result.threshold} required (${answers.join("; ")})`;
}

/** One line per auditor and the outcome, for people. */
export function describeResult(result: ApplyResult): string {
  const lines = [`application ${result.id}`];
  for (const [url, outcome] of Object.entries(result.measurements)) lines.push(`  ${url} challenge: ${outcome}`);
  for (const a of result.bundle.auditors) {
    lines.push(`  ${a.url} ${a.auditor ?? "-"} ${a.answer}${a.reason ? `: ${a.reason}` : ""}`);
  }
  const approvals = result.bundle.application.signatures.length;
  lines.push(`approvals: ${approvals} of ${result.threshold} required`);
  const done = result.signed.application.renew ? "renewed" : "registered";
  if (result.registrationTx) lines.push(`${done}: ${result.registrationTx}`);
  return lines.join("\n");
}
