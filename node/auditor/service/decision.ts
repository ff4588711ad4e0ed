import { verifyTypedData, type TypedDataField } from "ethers";
import type { Address, Hex } from "../../types/primitives";
import {
  applicationDomain,
  recoverTypedSigner,
  type ApplicationDomainParams,
  type TypedDataSigner,
} from "../application";
import { AuditorError, AuditorErrorCode } from "../errors";

/**
 * An operator's decision on a queued application, signed with the operator's Ethereum key
 * (EIP-712, same domain as applications). It names the auditor it is for, so a decision given to
 * one auditor cannot be replayed at another that shares the operator; it is timestamped, so an old
 * one cannot be replayed later; and an application is decided once, so it is single use.
 */
export interface OperatorDecision {
  readonly auditor: Address;
  readonly applicationId: Hex;
  readonly approve: boolean;
  readonly reason: string;
  /** Unix seconds when the operator signed. */
  readonly issuedAt: bigint;
}

export const DECISION_TYPES: Record<string, TypedDataField[]> = {
  Decision: [
    { name: "auditor", type: "address" },
    { name: "applicationId", type: "bytes32" },
    { name: "approve", type: "bool" },
    { name: "reason", type: "string" },
    { name: "issuedAt", type: "uint64" },
  ],
};

export async function signDecision(
  operator: TypedDataSigner,
  decision: OperatorDecision,
  params: ApplicationDomainParams,
): Promise<Hex> {
  return (await operator.signTypedData(applicationDomain(params), DECISION_TYPES, { ...decision })) as Hex;
}

export interface DecisionCheck {
  readonly operators: readonly Address[];
  readonly nowSeconds: bigint;
  readonly maxSkewSeconds: bigint;
}

/** Returns the operator who signed the decision, or throws NOT_OPERATOR / DECISION_EXPIRED. */
export function verifyDecision(
  decision: OperatorDecision,
  signature: Hex,
  params: ApplicationDomainParams,
  check: DecisionCheck,
): Address {
  const signer = recoverTypedSigner(() =>
    verifyTypedData(applicationDomain(params), DECISION_TYPES, decision, signature),
  );
  if (!check.operators.includes(signer)) {
    throw new AuditorError(AuditorErrorCode.NOT_OPERATOR, `decision signed by ${signer}, who is not an operator`, {
      signer,
    });
  }
  const skew =
    decision.issuedAt > check.nowSeconds ? decision.issuedAt - check.nowSeconds : check.nowSeconds - decision.issuedAt;
  if (skew > check.maxSkewSeconds) {
    throw new AuditorError(
      AuditorErrorCode.DECISION_EXPIRED,
      `decision issued at ${decision.issuedAt} is ${skew}s from now (${check.nowSeconds}); the limit is ${check.maxSkewSeconds}s`,
      { issuedAt: decision.issuedAt.toString(), now: check.nowSeconds.toString() },
    );
  }
  return signer;
}
