import type { z } from "zod";
import { CAPS, capText, redactRecord } from "./redactRecord";

/** One rejected field: where it is, what is wrong, and what was given. */
export interface FieldProblem {
  field: string;
  problem: string;
  value?: unknown;
}

/** Where bad input was caught, when a provider client caught it. */
export interface InvalidInputContext {
  /** The provider client that refused the input (its provider id). */
  provider?: string;
  /** The client operation that was called (`configure` for the client's own options). */
  operation?: string;
  cause?: unknown;
}

/**
 * Input that does not match its schema: a job spec, a step's input, or the arguments of a provider client,
 * caught before anything is sent. Terminal: retrying the same input cannot help.
 *
 * Values are kept and shown without credentials: a URL loses its query string and user info (a presigned
 * URL's signature is a credential), and bytes or streams are named by their kind, never their content.
 * A long value is cut to a few hundred characters and its length.
 */
export class InvalidInputError extends Error {
  override readonly name = "InvalidInputError";
  readonly problems: FieldProblem[];
  readonly provider: string | undefined;
  readonly operation: string | undefined;

  constructor(what: string, problems: FieldProblem[], context: InvalidInputContext = {}) {
    const safe = problems.map(withSafeValue);
    const where = [context.provider, context.operation].filter((part) => part !== undefined).join(" ");
    super(
      `${where === "" ? "" : `${where}: `}${what} is invalid: ${safe.map(describeProblem).join("; ")}`,
      context.cause === undefined ? undefined : { cause: context.cause },
    );
    this.problems = safe;
    this.provider = context.provider;
    this.operation = context.operation;
  }

  /** The first field at fault, e.g. `crop.aspectRatio`: the one to fix first. */
  get field(): string {
    return this.problems[0]?.field ?? "(root)";
  }
}

/**
 * Turns a zod error into field problems, with the offending value read back from the input. `root` names
 * the field the whole input stands for, when it is a lone value such as an id.
 */
export function fieldProblems(error: z.ZodError, input: unknown, root?: string): FieldProblem[] {
  return error.issues.flatMap((issue): FieldProblem | FieldProblem[] => {
    if (issue.code === "unrecognized_keys") {
      // One problem per unknown key, so a typo is reported at the field the user wrote.
      return issue.keys.map((key) => ({
        field: fieldName([...issue.path, key], root),
        problem: "is not a known field",
        value: valueAt(input, [...issue.path, key]),
      }));
    }
    const field = fieldName(issue.path, root);
    const value = valueAt(input, issue.path);
    return value === undefined ? { field, problem: issue.message } : { field, problem: issue.message, value };
  });
}

/**
 * Parses `input` with `schema`, or throws an InvalidInputError naming every bad field and its value.
 * A provider client passes its provider and operation, and `root` when the input is a lone value.
 */
export function parseOrThrow<T extends z.ZodType>(
  schema: T,
  input: unknown,
  what: string,
  context: InvalidInputContext & { root?: string } = {},
): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const { root, ...where } = context;
  throw new InvalidInputError(what, fieldProblems(result.error, input, root), {
    ...where,
    cause: result.error,
  });
}

/** The value at `path` inside `input`, or `undefined` when the path leads nowhere. */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

const PREVIEW_CHARS = 120;

/**
 * A rejected value as a message shows it: JSON, cut short, a URL without its query string or user info,
 * bytes and streams by their kind.
 */
export function previewValue(value: unknown): string {
  const safe = safeValue(value);
  return typeof safe === "string" ? JSON.stringify(clip(safe)) : clip(JSON.stringify(safe) ?? String(safe));
}

/** A URL without what makes it a credential: the query string (a signature) and `user:password@`. */
export function withoutUrlCredentials(text: string): string {
  if (!URL.canParse(text)) return text;
  const query = text.indexOf("?");
  const shown = query < 0 ? text : `${text.slice(0, query)}?…`;
  return shown.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#]*@/, "$1");
}

function fieldName(path: readonly PropertyKey[], root: string | undefined): string {
  const parts = [...(root === undefined ? [] : [root]), ...path.map(String)];
  return parts.length === 0 ? "(root)" : parts.join(".");
}

function describeProblem(problem: FieldProblem): string {
  if (!("value" in problem)) return `${problem.field}: ${problem.problem}`;
  return `${problem.field}: ${problem.problem} (got ${previewValue(problem.value)})`;
}

function withSafeValue(problem: FieldProblem): FieldProblem {
  return "value" in problem ? { ...problem, value: capped(safeValue(problem.value)) } : { ...problem };
}

/** Items of a list value worth echoing: enough to recognise it. */
const ECHOED_ITEMS = 10;

/**
 * A value echoed back small: a 5 MiB body is its start and its length; a list value keeps its shape with
 * its first items, and only a value still too long after that is shown as cut JSON text.
 */
function capped(value: unknown): unknown {
  if (typeof value === "string") return capText(value, CAPS.echoedChars);
  if (value === null || typeof value !== "object") return value;
  const small = redactRecord(value, { maxChars: CAPS.echoedChars, maxItems: ECHOED_ITEMS });
  const json = JSON.stringify(small);
  return json.length > CAPS.recordChars ? capText(json, CAPS.echoedChars) : small;
}

/** The value with every URL in it stripped of credentials, and bytes or streams replaced by their kind. */
function safeValue(value: unknown): unknown {
  if (typeof value === "string") return withoutUrlCredentials(value);
  if (value instanceof ReadableStream) return "a ReadableStream";
  if (value instanceof Uint8Array) return `${value.byteLength} bytes`;
  if (typeof value === "bigint") return `${value}`;
  if (typeof value === "function" || typeof value === "symbol") return `a ${typeof value}`;
  if (value === null || typeof value !== "object") return value;
  try {
    const json = JSON.stringify(value, (_key, item: unknown) =>
      typeof item === "string" ? withoutUrlCredentials(item) : item,
    );
    return json === undefined ? String(value) : JSON.parse(json);
  } catch {
    // A cycle or a BigInt: its kind is all a message can safely say.
    return Object.prototype.toString.call(value);
  }
}

function clip(text: string): string {
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
}
