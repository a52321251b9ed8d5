import { describe, expect, it } from "vitest";
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
});
