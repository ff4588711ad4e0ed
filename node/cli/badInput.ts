import { ConfigError } from "../config/errors";
import { DeploymentFileError } from "../types/deployment";

/** A command's input is wrong (a flag out of range, a block not yet confirmed): exit code 2. */
export class BadInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BadInputError";
  }
}

/** Errors that mean "fix your input", as opposed to a runtime failure. */
export function isBadInput(err: unknown): boolean {
  return err instanceof BadInputError || err instanceof ConfigError || err instanceof DeploymentFileError;
}
