import { describe, expect, it } from "vitest";
import { callbackUrl } from "../../../functions/callbacks/callbackSecret";
import { withCallback } from "../../../functions/steps/videodev/withCallback";

describe("withCallback", () => {
  it("registers the wait's webhook and keeps the URL's secret out of the error when video.dev refuses", async () => {
    // Prepare
    const url = callbackUrl("https://api.test/webhooks/videodev", "key", "job-1", "awaitRender");
    const secret = new URL(url).searchParams.get("secret") as string;
    let sent: unknown;

    // Act
    const failure = await withCallback(url, async (webhook) => {
      sent = webhook;
      throw new Error(`video.dev refused webhook url ${webhook?.url} (secret ${secret})`);
    }).catch((error: Error) => error);

    // Assess
    expect(sent).toEqual({ url, events: ["complete", "error"] });
    expect(failure.message).not.toContain(secret);
    expect(failure.message).toContain("[redacted]");
  });
});
