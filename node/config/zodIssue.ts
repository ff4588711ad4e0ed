import type { z } from "zod";

type Issue = z.core.$ZodIssue;
type PathSegment = PropertyKey;

/** How to name a field: `p2pPort`, `params[0]`, `--credit`. */
export type FieldNamer = (path: readonly PathSegment[]) => string;

/** Names a path as `a.b[0]`, after an optional root (`params` → `params[0]`). */
export function dottedPath(root = ""): FieldNamer {
  return (path) => {
    let name = root;
    for (const segment of path) {
      if (typeof segment === "number") name += `[${segment}]`;
      else name += name === "" ? String(segment) : `.${String(segment)}`;
    }
    return name === "" ? "(root)" : name;
  };
}

/** One problem in an input: which field, what was given, what is expected. */
export interface InputProblem {
  readonly field: string;
  readonly given: string;
  readonly expected: string;
}

/** Values of fields named like secrets are never echoed back into an error message or a log. */
const SECRET_FIELD = /key|password|secret|mnemonic/i;
const MAX_GIVEN_CHARS = 80;

/**
 * The one place that turns zod issues into messages a person can act on. zod's own messages
 * ("Invalid input", "expected string, received undefined") name neither the field nor the value;
 * every parser of user input (config, flags, JSON-RPC params, HTTP bodies, files) goes through here.
 */
export function describeIssues(
  error: z.ZodError,
  input: unknown,
  nameField: FieldNamer = dottedPath(),
): InputProblem[] {
  return error.issues.map((issue) => describeIssue(issue, input, nameField));
}

/** `field: expected X, got Y` for each issue, joined by "; ". */
export function formatIssues(error: z.ZodError, input: unknown, nameField: FieldNamer = dottedPath()): string {
  return describeIssues(error, input, nameField).map(formatProblem).join("; ");
}

export function formatProblem(problem: InputProblem): string {
  return `${problem.field}: expected ${problem.expected}, got ${problem.given}`;
}

function describeIssue(issue: Issue, input: unknown, nameField: FieldNamer): InputProblem {
  if (issue.code === "unrecognized_keys") {
    const field = issue.keys.map((key) => nameField([...issue.path, key])).join(", ");
    return { field, given: "a field this schema does not have", expected: "only the documented fields" };
  }
  // A union reports one issue per branch; the branch that got furthest into the value names the field.
  const deepest =
    issue.code === "invalid_union" && customMessage(issue) === undefined ? deepestBranchIssues(issue) : undefined;
  const path = deepest ? [...issue.path, ...deepest[0].path] : issue.path;
  const expected = deepest ? unique(deepest.map(expectation)).join(" or ") : expectation(issue);
  const field = nameField(path);
  return { field, given: SECRET_FIELD.test(field) ? "(hidden)" : show(valueAt(input, path)), expected };
}

function deepestBranchIssues(issue: Extract<Issue, { code: "invalid_union" }>): Issue[] | undefined {
  const firsts = issue.errors.map((branch) => branch[0]).filter((i): i is Issue => i !== undefined);
  if (firsts.length === 0) return undefined;
  const depth = Math.max(...firsts.map((i) => i.path.length));
  return firsts.filter((i) => i.path.length === depth);
}

/** What the schema wanted, as a noun phrase ("a number", "at most 65535", "one of a, b"). */
function expectation(issue: Issue): string {
  const custom = customMessage(issue);
  if (custom !== undefined) return custom;
  switch (issue.code) {
    case "invalid_type":
      return issue.expected === "undefined" ? "nothing here" : `a value of type ${issue.expected}`;
    case "too_big":
      return `${issue.inclusive ? "at most" : "less than"} ${String(issue.maximum)}${unitOf(issue.origin)}`;
    case "too_small":
      return `${issue.inclusive ? "at least" : "more than"} ${String(issue.minimum)}${unitOf(issue.origin)}`;
    case "invalid_value":
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_format":
      return `a valid ${issue.format}`;
    case "invalid_union":
      return "one of the allowed forms";
    default:
      return issue.message;
  }
}

/** zod's defaults start with "Invalid"/"Too"; a schema's own message ("must be a ws:// URL") is kept. */
function customMessage(issue: Issue): string | undefined {
  if (/^(Invalid|Too (big|small)|Unrecognized)/.test(issue.message)) return undefined;
  return issue.message.replace(/^(must be|expected)\s+/, "");
}

function unitOf(origin: string): string {
  if (origin === "string") return " characters";
  if (origin === "array" || origin === "set") return " items";
  return "";
}

function valueAt(input: unknown, path: readonly PathSegment[]): unknown {
  let value = input;
  for (const segment of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = typeof value === "bigint" ? value.toString() : (JSON.stringify(value) ?? String(value));
  return text.length > MAX_GIVEN_CHARS ? `${text.slice(0, MAX_GIVEN_CHARS)}…` : text;
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
