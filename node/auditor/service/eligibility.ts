import { ZeroAddress } from "ethers";
import type { CandidateApplication } from "../application";
import { AuditorErrorCode, fromSource, type AuditorErrorDetails } from "../errors";
import { CandidateStatus, type RegistryView } from "./l1Reads";

/**
 * Whether CandidateRegistry would take what the auditor is about to sign, read from L1 when an
 * application arrives and again before signing: an auditor signs nothing the contract would refuse.
 * Each check answers why not (the refusal the API gives), or undefined when the registry would take it.
 */
export interface Closed {
  readonly code: AuditorErrorCode;
  readonly message: string;
  readonly details: AuditorErrorDetails;
}

/** Why L1 would refuse the application now: by its kind, a registration or a renewal. */
export function whyClosed(chain: RegistryView, app: CandidateApplication): Promise<Closed | undefined> {
  return app.renew ? whyNotRenewable(chain, app) : whyNotRegistrable(chain, app);
}

/** A registration needs the address free (never registered, or removed and refunded) and the nonce current. */
async function whyNotRegistrable(chain: RegistryView, app: CandidateApplication): Promise<Closed | undefined> {
  const [{ status }, nonce, keyOwner] = await Promise.all([
    fromSource("L1", chain.candidateRecord(app.candidate)),
    fromSource("L1", chain.registrationNonce(app.candidate)),
    fromSource("L1", chain.keyOwner(app.candidate)),
  ]);
  const statusName = CandidateStatus[status];
  // The contract refuses these two for ever.
  if (status === CandidateStatus.Slashed) {
    return {
      code: AuditorErrorCode.KEY_BARRED,
      message: `candidate ${app.candidate} was slashed for equivocation and can never register again`,
      details: { candidate: app.candidate, status: statusName },
    };
  }
  if (keyOwner !== ZeroAddress && keyOwner !== app.candidate) {
    return {
      code: AuditorErrorCode.KEY_BARRED,
      message: `${app.candidate} is (or was) the signing key of candidate ${keyOwner}, so it cannot register itself`,
      details: { candidate: app.candidate, keyOwner },
    };
  }
  // Active, or removed with its deposit still escrowed: registerCandidate would revert either way.
  if (status !== CandidateStatus.None && status !== CandidateStatus.Refunded) {
    return {
      code: AuditorErrorCode.ALREADY_REGISTERED,
      message: `candidate ${app.candidate} is already registered on L1 (status ${statusName})`,
      details: { candidate: app.candidate, status: statusName },
    };
  }
  return staleNonce(app, nonce);
}

/** A renewal needs the candidate active, operated by the application's operator, in registration `nonce`. */
async function whyNotRenewable(chain: RegistryView, app: CandidateApplication): Promise<Closed | undefined> {
  const [{ status, operator }, nonce] = await Promise.all([
    fromSource("L1", chain.candidateRecord(app.candidate)),
    fromSource("L1", chain.registrationNonce(app.candidate)),
  ]);
  if (status !== CandidateStatus.Active) {
    return {
      code: AuditorErrorCode.NOT_RENEWABLE,
      message: `candidate ${app.candidate} is not active (status ${CandidateStatus[status]}): only a standing registration renews`,
      details: { candidate: app.candidate, status: CandidateStatus[status] },
    };
  }
  if (operator !== app.operator) {
    return {
      code: AuditorErrorCode.NOT_RENEWABLE,
      message: `candidate ${app.candidate} is operated by ${operator}, not by ${app.operator}: only its operator renews it`,
      details: { field: "application.operator", given: app.operator, expected: operator },
    };
  }
  return staleNonce(app, nonce);
}

function staleNonce(app: CandidateApplication, nonce: bigint): Closed | undefined {
  if (nonce === app.nonce) return undefined;
  return {
    code: AuditorErrorCode.STALE_NONCE,
    message: `application nonce ${app.nonce} is not the candidate's registrationNonce ${nonce}`,
    details: { nonce: app.nonce.toString(), expected: nonce.toString() },
  };
}
