import { Contract, type Provider } from "ethers";
import type { Address, Hex } from "../../types/primitives";

/**
 * What the auditor reads from L1, behind one small interface so that the service's logic does not
 * depend on ethers. The ABI fragments are the fixed interface of the registries (issue 2).
 */
export interface RegistryView {
  chainId(): Promise<bigint>;
  /** CandidateRegistry.registrationNonce(candidate). */
  registrationNonce(candidate: Address): Promise<bigint>;
  /** CandidateRegistry.getCandidate(candidate): its status and its operator (zero if never registered). */
  candidateRecord(candidate: Address): Promise<{ status: CandidateStatus; operator: Address }>;
  /** CandidateRegistry.renewalNonce(candidate): the `renewal` the next Renewal signatures carry. */
  renewalNonce(candidate: Address): Promise<bigint>;
  /** CandidateRegistry.keyOwner(key).candidate: the candidate `key` is or was the signing key of, or zero. */
  keyOwner(key: Address): Promise<Address>;
  minDeposit(): Promise<bigint>;
  /** AuditorRegistry.threshold(): how many approvals a registration needs. */
  threshold(): Promise<bigint>;
  isAuditor(account: Address): Promise<boolean>;
  /** The latest L1 block's timestamp: the clock the contract checks credentials against. */
  latestTimestamp(): Promise<bigint>;
  /** The wei a successful transaction paid from `from`, or 0 if it does not exist, failed or is someone else's. */
  paidBy(txHash: Hex, from: Address): Promise<bigint>;
}

/** ICandidateRegistry.CandidateStatus. */
export enum CandidateStatus {
  None = 0,
  Active = 1,
  Withdrawn = 2,
  Revoked = 3,
  Refunded = 4,
  /** Removed for equivocation: the address never registers again. */
  Slashed = 5,
}

export const CANDIDATE_REGISTRY_ABI = [
  "function registrationNonce(address candidate) view returns (uint256)",
  "function getCandidate(address candidate) view returns (tuple(address operator, address signingKey, uint256 deposit, " +
    "uint64 credentialExpiry, uint8 status, uint64 refundableAt, uint256 registrationNonce))",
  "function keyOwner(address key) view returns (address candidate, uint64 accountableUntil)",
  "function renewalNonce(address candidate) view returns (uint256)",
  "function minDeposit() view returns (uint256)",
];
export const AUDITOR_REGISTRY_ABI = [
  "function threshold() view returns (uint256)",
  "function isAuditor(address account) view returns (bool)",
];

export interface RegistryAddresses {
  readonly candidateRegistry: Address;
  readonly auditorRegistry: Address;
}

export class EthersRegistryView implements RegistryView {
  private readonly candidates: Contract;
  private readonly auditors: Contract;

  constructor(
    private readonly provider: Provider,
    addresses: RegistryAddresses,
  ) {
    this.candidates = new Contract(addresses.candidateRegistry, CANDIDATE_REGISTRY_ABI, provider);
    this.auditors = new Contract(addresses.auditorRegistry, AUDITOR_REGISTRY_ABI, provider);
  }

  async chainId(): Promise<bigint> {
    return (await this.provider.getNetwork()).chainId;
  }

  async registrationNonce(candidate: Address): Promise<bigint> {
    return (await this.candidates.getFunction("registrationNonce")(candidate)) as bigint;
  }

  async candidateRecord(candidate: Address): Promise<{ status: CandidateStatus; operator: Address }> {
    const record = (await this.candidates.getFunction("getCandidate")(candidate)) as {
      status: bigint;
      operator: string;
    };
    return { status: Number(record.status) as CandidateStatus, operator: record.operator.toLowerCase() as Address };
  }

  async renewalNonce(candidate: Address): Promise<bigint> {
    return (await this.candidates.getFunction("renewalNonce")(candidate)) as bigint;
  }

  async keyOwner(key: Address): Promise<Address> {
    const [candidate] = (await this.candidates.getFunction("keyOwner")(key)) as [string, bigint];
    return candidate.toLowerCase() as Address;
  }

  async minDeposit(): Promise<bigint> {
    return (await this.candidates.getFunction("minDeposit")()) as bigint;
  }

  async threshold(): Promise<bigint> {
    return (await this.auditors.getFunction("threshold")()) as bigint;
  }

  async isAuditor(account: Address): Promise<boolean> {
    return (await this.auditors.getFunction("isAuditor")(account)) as boolean;
  }

  async latestTimestamp(): Promise<bigint> {
    const block = await this.provider.getBlock("latest");
    if (!block) throw new Error("L1 returned no latest block");
    return BigInt(block.timestamp);
  }

  async paidBy(txHash: Hex, from: Address): Promise<bigint> {
    const [tx, receipt] = await Promise.all([
      this.provider.getTransaction(txHash),
      this.provider.getTransactionReceipt(txHash),
    ]);
    if (!tx || !receipt || receipt.status !== 1 || tx.from.toLowerCase() !== from) return 0n;
    return tx.value;
  }
}
