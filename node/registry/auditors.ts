import { RegistryError, RegistryErrorCode } from "./errors";
import type { RegistryState } from "./state";
import type { EventOf, Undo } from "./transition";
import { requireEventField } from "./validate";

export function applyAuditorAdded(state: RegistryState, e: EventOf<"AuditorAdded">): Undo {
  requireEventField(e, "auditor");
  if (state.auditors.has(e.auditor)) {
    throw new RegistryError({ code: RegistryErrorCode.AUDITOR_ALREADY_ADDED, auditor: e.auditor });
  }
  state.auditors.add(e.auditor);
  return () => state.auditors.delete(e.auditor);
}

export function applyAuditorRemoved(state: RegistryState, e: EventOf<"AuditorRemoved">): Undo {
  if (!state.auditors.has(e.auditor)) {
    throw new RegistryError({ code: RegistryErrorCode.AUDITOR_NOT_FOUND, auditor: e.auditor });
  }
  state.auditors.delete(e.auditor);
  return () => state.auditors.add(e.auditor);
}
