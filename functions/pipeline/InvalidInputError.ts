import type { z } from "zod";

/** One rejected field: where it is, what is wrong, and what was given. */
export interface FieldProblem {
  field: string;
  problem: string;
  value?: unknown;
}

/** Input that does not match its schema. Terminal: retrying the same input cannot help. */
export class InvalidInputError extends Error {
  override readonly name = "InvalidInputError";
  readonly problems: FieldProblem[];

  constructor(what: string, problems: FieldProblem[], options?: { cause?: unknown }) {
    super(`${what} is invalid: ${problems.map(describeProblem).join("; ")}`, options);
    this.problems = problems;
  }
}

/** Turns a zod error into field problems, with the offending value read back from the input. */
export function fieldProblems(error: z.ZodError, input: unknown): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      // One problem per unknown key, so a typo is reported at the field the user wrote.
      return issue.keys.map((key) => ({
        field: fieldName([...issue.path, key]),
        problem: "is not a known field",
      }));
    }
    const field = fieldName(issue.path);
    const value = valueAt(input, issue.path);
    return value === undefined ? { field, problem: issue.message } : { field, problem: issue.message, value };
  });
}

/** Parses `input` with `schema`, or throws an InvalidInputError naming every bad field and its value. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown, what: string): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidInputError(what, fieldProblems(result.error, input), { cause: result.error });
}

function fieldName(path: readonly PropertyKey[]): string {
  return path.length === 0 ? "(root)" : path.map(String).join(".");
}

function describeProblem(problem: FieldProblem): string {
  if (!("value" in problem)) return `${problem.field}: ${problem.problem}`;
  return `${problem.field}: ${problem.problem} (got ${preview(problem.value)})`;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
