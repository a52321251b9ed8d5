/** One place a secret showed up. */
export interface SecretFinding {
  /** Which output: a result file, a job status, an event, the logs. */
  where: string;
  /** What kind of secret (never the secret itself). */
  kind: string;
  /** The text around it with the secret masked, to find the cause. */
  excerpt: string;
}

/** A text the suite produced, named by where it came from. */
export interface Output {
  where: string;
  text: string;
}

/** Query parameters of a presigned S3 URL that let whoever holds them read the object (or act as us). */
const PRESIGNED_PARAMETER = /X-Amz-(Signature|Credential|Security-Token)=([^&\s"'\\<>]+)/gi;
/** A value a redaction step leaves, which is no secret. */
const REDACTED = /^(\*+|\[?redacted\]?|%5Bredacted%5D|<redacted>|redacted|x{3,}|\.{3})$/i;
/** `scheme://user:password@` in any URL. */
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@"'<>]+:([^/\s@"'<>]+)@/gi;

/**
 * Finds secrets in the suite's outputs: the given literal ones (API keys, passwords) and, whatever their
 * value, presigned-URL signatures, credentials and session tokens, and URL passwords.
 */
export function findSecrets(outputs: Output[], literals: Record<string, string>): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const { where, text } of outputs) {
    // A password is both a literal and a URL's password: one finding per place.
    const seen = new Set<number>();
    const found = (kind: string, at: number, length: number) => {
      if (seen.has(at)) return;
      seen.add(at);
      findings.push({ where, kind, excerpt: masked(excerpt(text, at, length), literals) });
    };
    for (const [kind, secret] of Object.entries(literals)) {
      let at = text.indexOf(secret);
      while (at >= 0) {
        found(kind, at, secret.length);
        at = text.indexOf(secret, at + secret.length);
      }
    }
    for (const match of text.matchAll(PRESIGNED_PARAMETER)) {
      const value = match[2] ?? "";
      if (REDACTED.test(decodeURIComponentSafe(value))) continue;
      const start = (match.index ?? 0) + match[0].length - value.length;
      found(`X-Amz-${match[1]}`, start, value.length);
    }
    for (const match of text.matchAll(URL_PASSWORD)) {
      const value = match[1] ?? "";
      if (REDACTED.test(decodeURIComponentSafe(value))) continue;
      found("URL password", (match.index ?? 0) + match[0].length - value.length - 1, value.length);
    }
  }
  return findings;
}

/** The text with every secret the scan knows masked: the suite's own output must not leak either. */
export function masked(text: string, literals: Record<string, string> = {}): string {
  let safe = text;
  for (const secret of Object.values(literals)) safe = safe.split(secret).join("<secret>");
  return safe
    .replace(PRESIGNED_PARAMETER, (_match, name: string) => `X-Amz-${name}=<secret>`)
    .replace(URL_PASSWORD, (match, password: string) => match.replace(`:${password}@`, ":<secret>@"));
}

function excerpt(text: string, at: number, length: number): string {
  const before = text.slice(Math.max(0, at - 60), at);
  const after = text.slice(at + length, at + length + 40);
  return `${before}<secret>${after}`.replace(/\s+/g, " ");
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
