import { ZeroAddress } from "ethers";
import type { CandidateApplication } from "../application";
import { AuditorError, AuditorErrorCode, fromSource } from "../errors";
import { CandidateStatus, type RegistryView } from "./l1Reads";

/**
 * Whether CandidateRegistry would take what the auditor is about to sign, checked on L1 when an
 * application arrives and again before signing: an auditor signs nothing the contract would refuse.
 */

/** A registration: the address is free (never registered, or removed and refunded) and the nonce current. */
export async function checkRegistrable(chain: RegistryView, app: CandidateApplication): Promise<void> {
  const [{ status }, nonce, keyOwner] = await Promise.all([
    fromSource("L1", chain.candidateRecord(app.candidate)),
    fromSource("L1", chain.registrationNonce(app.candidate)),
    fromSource("L1", chain.keyOwner(app.candidate)),
  ]);
  // The contract refuses these for ever.
  if (status === CandidateStatus.Slashed) {
    throw new AuditorError(
      AuditorErrorCode.KEY_BARRED,
      `candidate ${app.candidate} was slashed for equivocation and can never register again`,
      { candidate: app.candidate, status: CandidateStatus[status] },
    );
  }
  if (keyOwner !== ZeroAddress && keyOwner !== app.candidate) {
    throw new AuditorError(
      AuditorErrorCode.KEY_BARRED,
      `${app.candidate} is (or was) the signing key of candidate ${keyOwner}, so it cannot register itself`,
      { candidate: app.candidate, keyOwner },
    );
  }
  // Active, or removed with its deposit still escrowed: registerCandidate would revert either way.
  if (status !== CandidateStatus.None && status !== CandidateStatus.Refunded) {
    throw new AuditorError(
      AuditorErrorCode.ALREADY_REGISTERED,
      `candidate ${app.candidate} is already registered (status ${CandidateStatus[status]})`,
      { candidate: app.candidate, status: CandidateStatus[status] },
    );
  }
  checkNonce(app, nonce);
}

/** A renewal: the candidate is active, operated by the application's operator, in registration `nonce`. */
export async function checkRenewable(chain: RegistryView, app: CandidateApplication): Promise<void> {
  const [{ status, operator }, nonce] = await Promise.all([
    fromSource("L1", chain.candidateRecord(app.candidate)),
    fromSource("L1", chain.registrationNonce(app.candidate)),
  ]);
  if (status !== CandidateStatus.Active) {
    throw new AuditorError(
      AuditorErrorCode.NOT_RENEWABLE,
      `candidate ${app.candidate} is not active (status ${CandidateStatus[status]}): only a standing registration renews`,
      { candidate: app.candidate, status: CandidateStatus[status] },
    );
  }
  if (operator !== app.operator) {
    throw new AuditorError(
      AuditorErrorCode.NOT_RENEWABLE,
      `candidate ${app.candidate} is operated by ${operator}, not by ${app.operator}: only its operator renews it`,
      { field: "application.operator", given: app.operator, expected: operator },
    );
  }
  checkNonce(app, nonce);
}

function checkNonce(app: CandidateApplication, nonce: bigint): void {
  if (nonce !== app.nonce) {
    throw new AuditorError(
      AuditorErrorCode.STALE_NONCE,
      `application nonce ${app.nonce} is not the candidate's registrationNonce ${nonce}`,
      { nonce: app.nonce.toString(), expected: nonce.toString() },
    );
  }
}
