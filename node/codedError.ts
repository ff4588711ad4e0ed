/**
 * The one base of the components' typed errors (Lodestar's LodestarError pattern): each component
 * declares an enum of codes and a payload type per code, and one subclass of this. Callers switch
 * on `code` (or `type.code`, which narrows the payload); logs and messages carry the offending values.
 */
export abstract class CodedError<T extends { readonly code: string }> extends Error {
  constructor(
    readonly type: T,
    message: string = describeCoded(type),
    options?: { cause?: unknown },
  ) {
    super(message, options);
    // The subclass's name ("ChainError", …), so a log line says which component refused.
    this.name = new.target.name;
  }

  get code(): T["code"] {
    return this.type.code;
  }
}

/** "CODE key=value key=value": the code, then every defined payload field. */
export function describeCoded(type: { readonly code: string }): string {
  const { code, ...payload } = type;
  const fields = Object.entries(payload)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(" ");
  return fields ? `${code} ${fields}` : code;
}
