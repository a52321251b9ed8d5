/** What a secret is replaced with. */
export const REDACTED = "[redacted]";

/** How deep a chain of causes is followed: enough for a wrapped provider error, bounded against cycles. */
const MAX_CAUSES = 4;

/**
 * Replaces every non-empty secret with `[redacted]` in the error's message and stack, and in those of its
 * causes that are errors (a JSON parse error quotes the body it choked on). Error messages quote providers'
 * answers, and a misbehaving server can echo the credentials it was sent. Returns the same error.
 */
export function redactSecrets<E>(error: E, secrets: Iterable<string>): E {
  const hidden = usable(secrets);
  if (hidden.length === 0) return error;
  let current: unknown = error;
  for (let depth = 0; depth <= MAX_CAUSES && current instanceof Error; depth += 1) {
    scrub(current, "message", hidden);
    // V8 renders the stack on first read: if anything read it already, it holds the old message.
    scrub(current, "stack", hidden);
    current = current.cause;
  }
  return error;
}

/** The text with every non-empty secret replaced by `[redacted]`: for text that is cut short afterwards. */
export function redactText(text: string, secrets: Iterable<string>): string {
  return hide(text, usable(secrets));
}

/** Longest first, so a secret that contains another is hidden whole. */
function usable(secrets: Iterable<string>): string[] {
  return [...new Set(secrets)]
    .filter((secret) => typeof secret === "string" && secret !== "")
    .sort((a, b) => b.length - a.length);
}

function hide(text: string, secrets: readonly string[]): string {
  return secrets.reduce((current, secret) => current.split(secret).join(REDACTED), text);
}

function scrub(target: Error, property: "message" | "stack", secrets: readonly string[]): void {
  const value = target[property];
  if (typeof value !== "string") return;
  const clean = hide(value, secrets);
  if (clean === value) return;
  try {
    target[property] = clean;
  } catch {
    // Some platform errors (DOMException) have read-only messages; those never quote a server's answer.
  }
}
