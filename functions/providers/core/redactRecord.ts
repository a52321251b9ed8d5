import { REDACTED, redactText } from "./redactSecrets";

/**
 * The one redaction step every record passes through before it leaves the process: failure records,
 * results, events, log lines, HTTP answers and the CLI's output. It hides
 * - the secrets this process loaded (provider keys, webhook and callback signing keys: `rememberSecrets`)
 *   and any given with the call;
 * - URL user info, `scheme://user:password@host` (also inside a percent-encoded URL);
 * - credential query parameters: a presigned URL's `X-Amz-Signature`, `X-Amz-Credential` and
 *   `X-Amz-Security-Token` (on AWS the last is the STS session token of the Lambda's role), SigV2's
 *   `Signature`, and the `secret` of a video.dev callback URL (`callbacks/callbackSecret.ts`), in any case
 *   and percent-encoded once or twice (a URL quoted inside another URL's query);
 * - the whole value of a field whose name says it is a credential (`authorization`, `apiKey`, `password`...).
 *
 * Text is scanned by patterns rather than parsed as URLs because secrets arrive inside free text: a
 * provider's error body quoting the presigned URL it could not fetch, a JSON Cause inside another.
 */

/** Options of one redaction: extra secrets, and caps for sinks that must stay small. */
export interface RedactOptions {
  /** Secrets to hide beyond the remembered ones (e.g. a wait's callback URL). */
  secrets?: Iterable<string>;
  /** Each string longer than this is cut, with its length said (`… (5242880 characters)`). */
  maxChars?: number;
  /** Each array longer than this keeps its first items and a last one saying how many there were. */
  maxItems?: number;
}

/**
 * How much of a value each sink keeps: an echoed input value (in an InvalidInputError, a 400), a string of a
 * failure record or log line, and the items of a list there. A 5 MiB body is then a few hundred characters.
 */
export const CAPS = { echoedChars: 200, recordChars: 2_000, items: 50 } as const;

/** The caps of a failure record, an error answer or a log line: strings and lists of bounded size. */
export const RECORD_CAPS: RedactOptions = { maxChars: CAPS.recordChars, maxItems: CAPS.items };

/** Remembered secrets shorter than this would hide ordinary words; real keys are far longer. */
const MIN_REMEMBERED_CHARS = 6;

/** A process loads a handful of keys; the bound only guards against a leak in a long-lived one. */
const MAX_REMEMBERED = 64;

/** Deep enough for any record we write; bounded so a hostile structure cannot exhaust the stack. */
const MAX_DEPTH = 32;

const remembered = new Set<string>();

/**
 * Remembers secrets this process holds (a provider's key when it is loaded), so every later redaction in
 * the process hides them, in whatever record or log line they turn up.
 */
export function rememberSecrets(...secrets: (string | undefined)[]): void {
  for (const secret of secrets) {
    if (typeof secret !== "string" || secret.length < MIN_REMEMBERED_CHARS) continue;
    remembered.delete(secret);
    remembered.add(secret);
    if (remembered.size > MAX_REMEMBERED) remembered.delete(remembered.values().next().value as string);
  }
}

/** Forgets every remembered secret; for tests. */
export function forgetSecrets(): void {
  remembered.clear();
}

// `=` and the separators around a query parameter, plain or percent-encoded once or twice (%25 is `%`).
const ENCODED = "%(?:25){0,2}";
const PARAMETER_NAMES =
  "x-amz-signature|x-amz-credential|x-amz-security-token|signature|secret|access_token|refresh_token";
/** A credential query parameter: its name (not the tail of a longer one), `=`, and its value. */
const CREDENTIAL_PARAMETER = new RegExp(
  `(?<=^|[^a-z0-9_-]|${ENCODED}(?:26|3f))(${PARAMETER_NAMES})(=|${ENCODED}3d)` +
    // The value ends at the next parameter (`&`, `%26`), a quote, a space or a closing bracket.
    // A value already `[redacted]` is taken whole, so a second pass changes nothing.
    `(?:\\[redacted\\]|(?:%(?!(?:25){0,2}26)|[^&\\s"'<>\\\\#,;)\\]}%])*)`,
  "gi",
);
/** `://user:password@` in a URL; a JSON-escaped `:\/\/` too. The scheme is left out: it needs no scan. */
const USER_INFO = /(:(?:\/|\\\/){2})[^\s/\\?#@"'<>]+@/g;
/** `%3A%2F%2Fuser%3Apassword%40` in a percent-encoded URL (once or twice). */
const ENCODED_USER_INFO = new RegExp(
  `(${ENCODED}3a(?:${ENCODED}2f){2})(?:[^\\s/\\\\?#@"'<>%&]|%(?!(?:25){0,2}(?:2f|3f|23|40|26))[0-9a-f]{2})+(${ENCODED}40)`,
  "gi",
);
/** Fields whose whole value is a credential, whatever it looks like. */
const SECRET_FIELD =
  /^(?:authorization|proxy-authorization|x-api-key|api[-_]?key|access[-_]?key|secret|client[-_]?secret|signing[-_]?key|password|passwd|(?:access|refresh|session|security)[-_]?token|x-amz-security-token)$/i;

/** The text with every secret, URL user info and credential query parameter replaced by `[redacted]`. */
export function redactString(text: string, secrets: Iterable<string> = []): string {
  const known = redactText(text, [...remembered, ...secrets]);
  return known
    .replace(CREDENTIAL_PARAMETER, (_match, name: string, equals: string) => `${name}${equals}${REDACTED}`)
    .replace(USER_INFO, `$1${REDACTED}@`)
    .replace(ENCODED_USER_INFO, `$1${REDACTED}$2`);
}

/** At most `maxChars` of the text, then how long it was: `abc… (5242880 characters)`. */
export function capText(text: string, maxChars: number): string {
  return text.length > maxChars ? `${text.slice(0, maxChars)}… (${text.length} characters)` : text;
}

/** Whether a field of this name holds a credential as a whole (`authorization`, `apiKey`, `password`...). */
export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name);
}

/**
 * A copy of a JSON-like value with every string redacted (and capped, when asked), however deeply nested;
 * cycles become `"[circular]"`. An Error becomes `{name, message, ...its fields, cause}` with its causes
 * followed, since a cause often quotes the answer that failed; bytes are named by their size. The
 * original is left untouched.
 */
export function redactRecord<T>(value: T, options: RedactOptions = {}): T {
  const secrets = [...(options.secrets ?? [])];
  return copy(value, { ...options, secrets }, [], "") as T;
}

/**
 * One string of a structured log line or record field: redacted, cut to `maxChars`, or wholly hidden when
 * its field names a credential.
 */
export function redactField(field: string, text: string, options: RedactOptions = {}): string {
  if (isSecretField(field)) return REDACTED;
  const clean = redactString(text, options.secrets);
  return options.maxChars === undefined ? clean : capText(clean, options.maxChars);
}

/**
 * A `JSON.stringify` replacer that redacts and caps every string and caps every list, however deep: for
 * log lines, whose attributes are serialised by the logger itself.
 */
export function redactingReplacer(options: RedactOptions = {}): (key: string, value: unknown) => unknown {
  const max = options.maxItems;
  return (key, value) => {
    if (typeof value === "string") return redactField(key, value, options);
    if (Array.isArray(value) && max !== undefined && value.length > max) {
      return [...value.slice(0, max), `… (${value.length} items)`];
    }
    return value;
  };
}

type Walk = RedactOptions & { secrets: string[] };

function copy(value: unknown, options: Walk, ancestors: object[], field: string): unknown {
  if (typeof value === "string") return redactField(field, value, options);
  if (typeof value === "bigint") return value.toString();
  if (value === null || typeof value !== "object") return value;
  if (ancestors.includes(value)) return "[circular]";
  if (ancestors.length >= MAX_DEPTH) return "[too deep]";
  if (value instanceof Uint8Array) return `${value.byteLength} bytes`;
  if (value instanceof Date) return value;
  const path = [...ancestors, value];
  if (Array.isArray(value)) return copyArray(value, options, path, field);
  const entries = value instanceof Error ? errorEntries(value) : Object.entries(value);
  // fromEntries defines each key, so a `__proto__` field stays a field and never becomes the prototype.
  return Object.fromEntries(entries.map(([key, item]) => [key, copy(item, options, path, key)]));
}

function copyArray(items: unknown[], options: Walk, path: object[], field: string): unknown[] {
  const max = options.maxItems ?? items.length;
  const kept = items.slice(0, max).map((item) => copy(item, options, path, field));
  return items.length > max ? [...kept, `… (${items.length} items)`] : kept;
}

/** An error's name, message, own fields and cause; its stack says nothing a record needs. */
function errorEntries(error: Error): [string, unknown][] {
  const { stack: _stack, ...fields } = Object.fromEntries(Object.entries(error));
  return [
    ["name", error.name],
    ["message", error.message],
    ...Object.entries(fields).filter(([key]) => key !== "name" && key !== "message" && key !== "cause"),
    ...(error.cause === undefined ? [] : [["cause", error.cause] as [string, unknown]]),
  ];
}
