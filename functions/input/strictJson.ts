import { type AnyNode, parse as parseJsonAst } from "@humanwhocodes/momoa";
import { type FieldProblem, InvalidInputError } from "../providers/core/InvalidInputError";
import { RESERVED_KEY_PROBLEM, RESERVED_KEYS } from "./reservedKeys";
import { decodeUtf8, describeRefusal } from "./strictUtf8";

/** Job specs nest four levels deep; far deeper is an attack on the parsers' stacks, not a spec. */
export const MAX_JSON_DEPTH = 64;

/** How a reader names what it reads in its errors. */
export interface StrictJsonOptions {
  /** What the document is, e.g. "job spec" or "request". */
  what: string;
  /** The field the whole document stands for, e.g. "body" or "(root)". */
  field: string;
  /** Put before key paths, when the document is one field of something larger (a CSV cell). */
  keyPrefix?: string;
}

/**
 * Reads JSON the way every edge that takes a job spec or a manifest does: bytes must be UTF-8 (a leading BOM
 * is dropped), the text must be JSON, no object may repeat a key (JSON.parse silently keeps the last, so
 * `"provider"` twice would run the second), no key may be `__proto__`, `constructor` or `prototype`, and
 * nothing nests deeper than {@link MAX_JSON_DEPTH}. Anything else is an InvalidInputError naming the field and
 * the value.
 */
export function parseStrictJson(input: Uint8Array | string | undefined, options: StrictJsonOptions): unknown {
  const text = textOf(input, options);
  if (text.trim() === "")
    fail(options, [{ field: options.field, problem: "is empty: expected JSON", value: text }]);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    fail(options, [{ field: options.field, problem: `is not valid JSON: ${reason}`, value: text }], error);
  }
  checkParsedJson(text, value, options);
  return value;
}

/**
 * The checks of {@link parseStrictJson} past JSON.parse, for a caller that parsed `text` into `value` itself
 * (a CSV cell, which is JSON only when it parses): no repeated key, no reserved key, no runaway nesting.
 */
export function checkParsedJson(text: string, value: unknown, options: StrictJsonOptions): void {
  const { keys, problems } = inspect(value, options);
  if (problems.length > 0) fail(options, problems);
  // Every key of valid JSON is followed by the only colons outside strings: fewer keys in the parsed value
  // than colons in the text means some object repeated a key. Only then is the slower AST parser needed.
  if (colonsOutsideStrings(text) !== keys) fail(options, duplicateKeys(text, options));
}

/** {@link parseStrictJson} for a document that must be one JSON object, as a job spec is. */
export function parseStrictJsonObject(
  input: Uint8Array | string | undefined,
  options: StrictJsonOptions,
): Record<string, unknown> {
  const value = parseStrictJson(input, options);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    const kind = Array.isArray(value) ? "an array" : value === null ? "null" : `a ${typeof value}`;
    fail(options, [{ field: options.field, problem: `must be a JSON object, not ${kind}`, value }]);
  }
  return value as Record<string, unknown>;
}

function textOf(input: Uint8Array | string | undefined, options: StrictJsonOptions): string {
  if (input === undefined) return "";
  if (typeof input === "string") return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const decoded = decodeUtf8(input);
  if ("text" in decoded) return decoded.text;
  return fail(options, [{ field: options.field, ...describeRefusal(decoded) }]);
}

/** Counts the keys of every object in `value` and finds reserved keys and runaway nesting, without recursion. */
function inspect(value: unknown, options: StrictJsonOptions): { keys: number; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  let keys = 0;
  const pending: { node: unknown; path: string[] }[] = [{ node: value, path: [] }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { node, path } = item;
    if (node === null || typeof node !== "object") continue;
    if (path.length >= MAX_JSON_DEPTH) {
      const problem = `nests deeper than ${MAX_JSON_DEPTH} levels (at ${fieldOf(path, options)})`;
      return { keys, problems: [{ field: options.field, problem, value: `${path.length + 1}+ levels` }] };
    }
    const entries = Array.isArray(node)
      ? node.map((child, index) => [String(index), child] as const)
      : Object.entries(node);
    if (!Array.isArray(node)) keys += entries.length;
    for (const [key, child] of entries) {
      const childPath = [...path, key];
      if (!Array.isArray(node) && RESERVED_KEYS.has(key)) {
        problems.push({ field: fieldOf(childPath, options), problem: RESERVED_KEY_PROBLEM, value: child });
      }
      pending.push({ node: child, path: childPath });
    }
  }
  return { keys, problems };
}

function colonsOutsideStrings(text: string): number {
  let colons = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 0x3a) colons += 1;
    else if (char === 0x22) {
      for (i += 1; i < text.length && text.charCodeAt(i) !== 0x22; i++) {
        if (text.charCodeAt(i) === 0x5c) i += 1;
      }
    }
  }
  return colons;
}

/** Every repeated key, with all the values it was given. Recursion is safe: the depth was checked first. */
function duplicateKeys(text: string, options: StrictJsonOptions): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const visit = (node: AnyNode, path: string[]): void => {
    if (node.type === "Array") {
      node.elements.forEach((element, index) => {
        visit(element.value, [...path, String(index)]);
      });
      return;
    }
    if (node.type !== "Object") return;
    const values = new Map<string, unknown[]>();
    for (const member of node.members) {
      const key = member.name.type === "String" ? member.name.value : member.name.name;
      const { start, end } = member.value.loc;
      values.set(key, [...(values.get(key) ?? []), JSON.parse(text.slice(start.offset, end.offset))]);
    }
    for (const [key, given] of values) {
      if (given.length < 2) continue;
      const problem = `appears ${given.length} times: a key may appear once (JSON would keep only the last)`;
      problems.push({ field: fieldOf([...path, key], options), problem, value: given });
    }
    for (const member of node.members) {
      const key = member.name.type === "String" ? member.name.value : member.name.name;
      visit(member.value, [...path, key]);
    }
  };
  visit(parseJsonAst(text, { mode: "json" }).body, []);
  return problems;
}

function fieldOf(path: readonly string[], options: StrictJsonOptions): string {
  if (path.length === 0) return options.field;
  return [...(options.keyPrefix === undefined ? [] : [options.keyPrefix]), ...path].join(".");
}

function fail(options: StrictJsonOptions, problems: FieldProblem[], cause?: unknown): never {
  throw new InvalidInputError(options.what, problems, cause === undefined ? {} : { cause });
}
