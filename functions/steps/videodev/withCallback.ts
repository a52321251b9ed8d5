import { redactSecrets } from "../../providers/core/redactSecrets";
import type { VideoDevWebhook } from "../../providers/videodev/VideoDevClient";

/**
 * Calls video.dev with the webhook of a wait when a callback URL is configured. The URL carries the
 * wait's secret, so an error (which may quote the request video.dev refused) is scrubbed of it.
 */
export async function withCallback<T>(
  callbackUrl: string | undefined,
  call: (webhook: VideoDevWebhook | undefined) => Promise<T>,
): Promise<T> {
  if (callbackUrl === undefined) return call(undefined);
  try {
    return await call({ url: callbackUrl, events: ["complete", "error"] });
  } catch (error) {
    const secret = new URL(callbackUrl).searchParams.get("secret") ?? "";
    throw redactSecrets(error, [callbackUrl, secret]);
  }
}
