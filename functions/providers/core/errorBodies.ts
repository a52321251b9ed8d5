/**
 * Small readers for the error bodies providers answer with, for the `describeError` of a client whose
 * provider does not document its format and so has to read whatever common shape comes back.
 */

/** A JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A string with something in it, trimmed; `undefined` for anything else. */
export function textOf(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** A body that is a bare JSON string says all there is: its words, cut to a readable length. */
export function describePlainText(body: string): { message: string } | undefined {
  const message = textOf(body);
  return message === undefined ? undefined : { message: message.slice(0, 300) };
}
