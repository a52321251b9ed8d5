import { createHmac } from "node:crypto";

/** Hex HMAC-SHA256 of a raw body: api.video's `X-Api-Video-Signature`, reused by every simulator that signs. */
export function signBody(rawBody: string, secret: string): string {
  return createHmac("sha256", secret).update(rawBody).digest("hex");
}

/** Delivers a webhook the way a provider does: a JSON POST, best effort, failures only recorded. */
export async function deliverWebhook(
  url: string,
  payload: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number } | { error: string }> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof payload === "string" ? payload : JSON.stringify(payload),
      signal: AbortSignal.timeout(5_000),
    });
    await response.body?.cancel();
    return { status: response.status };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
