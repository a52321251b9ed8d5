import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The secret of one wait's callback URL: HMAC-SHA256 of `<jobId>:<stage>` under the callback signing key.
 * Derived, never stored: the receiver recomputes it from the URL's job and stage.
 */
export function callbackSecret(signingKey: string, jobId: string, stage: string): string {
  return createHmac("sha256", signingKey).update(`${jobId}:${stage}`).digest("hex");
}

/** Whether a callback URL's secret is the one derived for its job and stage; constant time. */
export function isCallbackSecret(
  signingKey: string,
  jobId: string,
  stage: string,
  given: string | undefined,
): boolean {
  if (given === undefined) return false;
  const expected = Buffer.from(callbackSecret(signingKey, jobId, stage), "hex");
  const actual = Buffer.from(given, "hex");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The URL video.dev calls back for one wait; it carries its secret, so it must never be logged. */
export function callbackUrl(baseUrl: string, signingKey: string, jobId: string, stage: string): string {
  const url = new URL(baseUrl);
  url.searchParams.set("job", jobId);
  url.searchParams.set("stage", stage);
  url.searchParams.set("secret", callbackSecret(signingKey, jobId, stage));
  return url.toString();
}
