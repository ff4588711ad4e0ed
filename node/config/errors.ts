/** Malformed configuration: one message naming the field. The CLI exits with EXIT_BAD_INPUT. */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`invalid config: ${field}: ${reason}`);
    this.name = "ConfigError";
  }
}
