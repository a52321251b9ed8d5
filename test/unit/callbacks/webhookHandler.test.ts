import { describe, expect, it } from "vitest";
import { callbackUrl } from "../../../functions/callbacks/callbackSecret";
import { createWebhookHandler } from "../../../functions/handlers/webhooks/receiveWebhook";
import { signBody } from "../../../functions/providers/core/simulator/webhooks";
import { InMemoryCallbackRegistry, RecordingTaskCompletion } from "./fakes";

/** A provider read that fails as a network outage would. */
const unreachable = async (): Promise<never> => {
  throw Object.assign(new Error("provider unreachable"), { name: "ProviderUnavailableError" });
};

describe("the webhook route's handler", () => {
  it("verifies the signature over the raw bytes when API Gateway base64-encoded the body", async () => {
    // Prepare
    const registry = new InMemoryCallbackRegistry();
    const completion = new RecordingTaskCompletion();
    const handler = createWebhookHandler(async () => ({
      registry,
      completion,
      apiVideoWebhookSecret: async () => "secret",
      callbackSigningKey: async () => "key",
      confirm: { apivideo: unreachable, videodev: unreachable },
    }));
    const body = JSON.stringify({
      type: "video.encoding.quality.completed",
      emittedAt: new Date().toISOString(),
      videoId: "vi1",
      encoding: "hls",
      quality: "360p",
    });
    const event = {
      pathParameters: { provider: "apivideo" },
      headers: { "X-Api-Video-Signature": signBody(body, "secret") },
      body: Buffer.from(body).toString("base64"),
      isBase64Encoded: true,
    };

    // Act
    const answer = await handler(event, {} as never);

    // Assess: no wait is registered yet, so the authenticated event is kept for it.
    expect(answer).toMatchObject({ statusCode: 202 });
    expect(registry.events.size).toBe(1);
  });

  it("answers 503 when the provider cannot confirm the event, so the provider delivers it again", async () => {
    // Prepare
    const registry = new InMemoryCallbackRegistry();
    const completion = new RecordingTaskCompletion();
    await registry.putCallback(
      { provider: "videodev", key: "job-1/awaitUpload" },
      {
        taskToken: "token-1",
        jobId: "job-1",
        stage: "awaitUpload",
        subjectId: "m1",
        ids: { mediaId: "m1" },
        registeredAt: new Date().toISOString(),
      },
    );
    const handler = createWebhookHandler(async () => ({
      registry,
      completion,
      apiVideoWebhookSecret: async () => "secret",
      callbackSigningKey: async () => "key",
      confirm: { apivideo: unreachable, videodev: unreachable },
    }));
    const url = new URL(callbackUrl("https://api.test/webhooks/videodev", "key", "job-1", "awaitUpload"));
    const event = {
      pathParameters: { provider: "videodev" },
      queryStringParameters: Object.fromEntries(url.searchParams),
      body: JSON.stringify({ event: "import_media.error", body: { status: "error", media_id: "m1" } }),
    };

    // Act
    const answer = await handler(event, {} as never);

    // Assess: nothing completed, and the answer names no error, token or secret.
    expect(answer).toEqual({
      statusCode: 503,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: "could not confirm with the provider; deliver again" }),
    });
    expect(completion.calls).toEqual([]);
  });
});
