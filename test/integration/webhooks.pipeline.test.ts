import { describe, expect, it } from "vitest";
import { signBody } from "../../functions/providers/core/simulator/webhooks";
import { API_VIDEO_WEBHOOK_SECRET, until, useWebhookStack } from "./webhooksFixture";

/**
 * Webhooks instead of polling, end to end on 127.0.0.1: the simulators deliver their webhooks over HTTP to
 * the local API, the receiver completes the waiting Task state, and the real definition carries on.
 */
const { context, start, post } = useWebhookStack();

const API_VIDEO_STATUS = "GET /videos/:videoId/status";
const VIDEO_DEV_MEDIA = "GET /media/:mediaId";
const VIDEO_DEV_RENDER = "GET /clip/:clipId/render/:renderId";

describe("api.video encoding wait by webhook", () => {
  it("completes the job on the signed webhook without a single status poll", async () => {
    // Prepare
    const pollsBefore = context.apiVideo.server.count(API_VIDEO_STATUS);

    // Act
    const run = start("apivideo");
    const outcome = await run.outcome;

    // Assess
    expect(outcome.status).toBe("succeeded");
    expect(run.entered()).toContain("Await upload callback");
    expect(run.entered()).not.toContain("Poll upload");
    expect(context.apiVideo.server.count(API_VIDEO_STATUS)).toBe(pollsBefore);
    // The simulator records a delivery once its answer is in, which may be just after the job ended.
    await until(() => hlsDelivery(run.job.jobId) !== undefined, "the HLS delivery recorded");
    // 202 when an event beat the wait's registration: the registration then found it and completed the task.
    expect([{ status: 200 }, { status: 202 }]).toContainEqual(hlsDelivery(run.job.jobId)?.result);
  });

  it("refuses a forged webhook with 401 and keeps waiting, then completes on the genuine one", async () => {
    // Prepare: the simulator's own deliveries are lost, so only this test's calls reach the receiver.
    context.dropProviderDeliveries = true;
    const run = start("apivideo", { callbackHeartbeatMs: 60_000 });
    await until(
      () => hlsDelivery(run.job.jobId) !== undefined && context.webhooks.taskTokens.waiting === 1,
      "a dropped HLS delivery",
    );
    const genuine = hlsDelivery(run.job.jobId)?.body as string;

    // Act
    const forged = await post("/webhooks/apivideo", genuine, {
      "x-api-video-signature": signBody(genuine, "guessed"),
    });
    const unsigned = await post("/webhooks/apivideo", genuine);
    const stillWaiting = !run.state.finished && context.webhooks.taskTokens.waiting === 1;
    const accepted = await post("/webhooks/apivideo", genuine, {
      "x-api-video-signature": signBody(genuine, API_VIDEO_WEBHOOK_SECRET),
    });
    const outcome = await run.outcome;

    // Assess
    expect(forged.status).toBe(401);
    expect(unsigned.status).toBe(401);
    expect(stillWaiting).toBe(true);
    expect(accepted).toEqual({ status: 200, body: { status: "completed" } });
    expect(outcome.status).toBe("succeeded");
    expect(run.entered()).not.toContain("Poll upload");
  });

  it("treats a duplicate of a webhook that already completed the wait as harmless", async () => {
    // Prepare
    const run = start("apivideo");
    const outcome = await run.outcome;
    await until(() => hlsDelivery(run.job.jobId) !== undefined, "the HLS delivery recorded");
    const delivered = hlsDelivery(run.job.jobId)?.body as string;
    const tokensBefore = context.webhooks.taskTokens.waiting;

    // Act
    const duplicate = await post("/webhooks/apivideo", delivered, {
      "x-api-video-signature": signBody(delivered, API_VIDEO_WEBHOOK_SECRET),
    });

    // Assess
    expect(outcome.status).toBe("succeeded");
    expect(duplicate).toEqual({ status: 200, body: { status: "already completed" } });
    expect(context.webhooks.taskTokens.waiting).toBe(tokensBefore);
  });

  it("falls back to polling when no webhook arrives within the heartbeat, and still succeeds", async () => {
    // Prepare
    context.dropProviderDeliveries = true;
    const pollsBefore = context.apiVideo.server.count(API_VIDEO_STATUS);

    // Act
    const run = start("apivideo", { callbackHeartbeatMs: 30 });
    const outcome = await run.outcome;

    // Assess
    expect(outcome.status).toBe("succeeded");
    expect(run.progress).toContainEqual({
      kind: "caught",
      state: "Await upload callback",
      detail: "States.HeartbeatTimeout",
    });
    expect(run.entered()).toContain("Poll upload");
    expect(context.apiVideo.server.count(API_VIDEO_STATUS)).toBeGreaterThan(pollsBefore);
  });
});

describe("video.dev import and render waits by webhook", () => {
  it("completes the job on the callback URLs without polling the media or the render", async () => {
    // Prepare
    const mediaPollsBefore = context.videoDev.server.count(VIDEO_DEV_MEDIA);
    const renderReadsBefore = context.videoDev.server.count(VIDEO_DEV_RENDER);

    // Act
    const run = start("videodev");
    const outcome = await run.outcome;

    // Assess
    expect(outcome.status).toBe("succeeded");
    expect(run.entered()).toEqual(
      expect.arrayContaining(["Await upload callback", "Await render callback", "Publish"]),
    );
    expect(run.entered()).not.toContain("Poll upload");
    expect(run.entered()).not.toContain("Poll render");
    expect(context.videoDev.server.count(VIDEO_DEV_MEDIA)).toBe(mediaPollsBefore);
    // Publish reads the finished render once; no poll read it before.
    expect(context.videoDev.server.count(VIDEO_DEV_RENDER)).toBe(renderReadsBefore + 1);
  });

  it("refuses a callback with the wrong secret and keeps waiting", async () => {
    // Prepare
    context.dropProviderDeliveries = true;
    const run = start("videodev", { callbackHeartbeatMs: 60_000 });
    await until(
      () => importDelivery(run.job.jobId) !== undefined && context.webhooks.taskTokens.waiting === 1,
      "a dropped import delivery",
    );
    const delivery = importDelivery(run.job.jobId);
    const url = new URL(delivery?.url as string);
    const body = JSON.stringify({ event: delivery?.event, body: delivery?.body });
    const forgedUrl = new URL(url);
    forgedUrl.searchParams.set("secret", "0".repeat(64));

    // Act
    const forged = await post(`${forgedUrl.pathname}${forgedUrl.search}`, body);
    const stillWaiting = !run.state.finished && context.webhooks.taskTokens.waiting === 1;
    // The render's webhook that follows must get through.
    context.dropProviderDeliveries = false;
    const accepted = await post(`${url.pathname}${url.search}`, body);
    const outcome = await run.outcome;

    // Assess
    expect(forged.status).toBe(401);
    expect(stillWaiting).toBe(true);
    expect(accepted).toEqual({ status: 200, body: { status: "completed" } });
    expect(outcome.status).toBe("succeeded");
  });
});

/** The simulator's delivery of an HLS rendition of the job's video, if any. */
function hlsDelivery(jobId: string) {
  return context.apiVideo.deliveries.find((delivery) => {
    const event = JSON.parse(delivery.body) as { videoId: string; encoding: string };
    const video = context.apiVideo.video(event.videoId);
    return event.encoding === "hls" && video?.metadata.some((entry) => entry.value === jobId) === true;
  });
}

/** The simulator's delivery of the job's import event, if any. */
function importDelivery(jobId: string) {
  return context.videoDev.webhookDeliveries.find(
    (delivery) =>
      delivery.event.startsWith("import_media.") && new URL(delivery.url).searchParams.get("job") === jobId,
  );
}
