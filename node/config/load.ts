import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { z } from "zod";
import { ConfigError } from "./errors";
import { describeIssues } from "./zodIssue";
import { CONFIG_ENV, MOVED_FIELDS, type NodeConfig, nodeConfigSchema, PATH_FIELDS } from "./schema";

type RawConfig = Record<string, unknown>;

/**
 * Loads the configuration from a JSON file, the REPCHAIN_* environment and command-line flags
 * (flags win over the environment, which wins over the file). Relative paths in the file are
 * relative to the file; elsewhere, to the working directory. Throws ConfigError naming the
 * first bad field.
 */
export function loadConfig(opts: ConfigSources): NodeConfig {
  return loadConfigWith(nodeConfigSchema, CONFIG_ENV, PATH_FIELDS, opts);
}

interface ConfigSources {
  file?: string;
  env?: NodeJS.ProcessEnv;
  flags?: RawConfig;
  /** Fields another command owns (`repchain run`'s), accepted in the file and dropped unread. */
  ignoredFields?: readonly string[];
}

/** The same merge and checks for a wider schema (`repchain run` adds the validator's fields). */
export function loadConfigWith<S extends z.ZodType>(
  schema: S,
  envNames: Readonly<Record<string, string>>,
  pathFields: readonly string[],
  opts: ConfigSources,
): z.output<S> {
  const fromFile = opts.file === undefined ? {} : readConfigFile(opts.file, pathFields);
  for (const field of opts.ignoredFields ?? []) delete fromFile[field];
  const merged: RawConfig = {
    ...fromFile,
    ...fromEnv(opts.env ?? {}, envNames),
    ...dropUndefined(opts.flags ?? {}),
  };
  refuseMovedFields(merged, opts.env ?? {});
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    const [first] = describeIssues(parsed.error, merged);
    throw new ConfigError(first.field, `expected ${first.expected}, got ${first.given}`);
  }
  return parsed.data;
}

function refuseMovedFields(merged: RawConfig, env: NodeJS.ProcessEnv): void {
  for (const [field, moved] of Object.entries(MOVED_FIELDS)) {
    if (field in merged) throw new ConfigError(field, moved.movedTo);
    if (env[moved.env] !== undefined) throw new ConfigError(moved.env, moved.movedTo);
  }
}

function readConfigFile(file: string, pathFields: readonly string[]): RawConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError("--config", `cannot read ${file}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError("--config", `${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new ConfigError("--config", `${file} must hold a JSON object`);
  }
  const raw = { ...(json as RawConfig) };
  for (const field of pathFields) resolvePath(raw, field.split("."), dirname(file));
  return raw;
}

/**
 * Resolves the path at `keys` (a field, or "parent.child" for a nested one) against `dir`, copying
 * the objects on the way so the parsed file is not changed in place.
 */
function resolvePath(raw: RawConfig, keys: readonly string[], dir: string): void {
  const [key, ...rest] = keys;
  const value = raw[key];
  if (rest.length === 0) {
    if (typeof value === "string" && value !== "") raw[key] = resolve(dir, value);
    return;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return;
  const copy = { ...(value as RawConfig) };
  raw[key] = copy;
  resolvePath(copy, rest, dir);
}

function fromEnv(env: NodeJS.ProcessEnv, envNames: Readonly<Record<string, string>>): RawConfig {
  const raw: RawConfig = {};
  for (const [field, name] of Object.entries(envNames)) {
    const value = env[name];
    if (value !== undefined && value !== "") raw[field] = value;
  }
  return raw;
}

function dropUndefined(flags: RawConfig): RawConfig {
  return Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
}

export type { NodeConfig };
