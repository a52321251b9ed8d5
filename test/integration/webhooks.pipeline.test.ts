import { describe, expect, it } from "vitest";
import { signBody } from "../../functions/providers/core/simulator/webhooks";
import { API_VIDEO_WEBHOOK_SECRET, until, useWebhookStack } from "./webhooksFixture";

/**
 * Webhooks instead of polling, end to end on 127.0.0.1: the simulators deliver their webhooks over HTTP to
 * the local API, the receiver reads the awaited work back from the simulator and completes the waiting Task
 * state on that answer, and the real definition carries on. No assertion depends on how fast the machine
 * is: webhook waits keep the definition's 15-minute heartbeat (except where the fallback itself is tested),
 * so within a test only a webhook can end them, and tests wait for conditions, never for time.
 */
const { context, start, post, registration } = useWebhookStack();

const API_VIDEO_STATUS = "GET /videos/:videoId/status";
const VIDEO_DEV_MEDIA = "GET /media/:mediaId";
const VIDEO_DEV_RENDER = "GET /clip/:clipId/render/:renderId";

describe("api.video encoding wait by webhook", () => {
  it("completes the job on the signed webhook, confirmed by api.video's status, without polling", async () => {
    // Prepare
    const statusReadsBefore = context.apiVideo.server.count(API_VIDEO_STATUS);

    // Act
    const run = start("apivideo");
    const outcome = await run.outcome;
    await context.apiVideo.idle();

    // Assess
    expect(outcome.status).toBe("succeeded");
    expect(run.entered()).toContain("Await upload callback");
    expect(run.entered()).not.toContain("Poll upload");
    // No poll, but the webhook was confirmed by reading the status back at least once.
    expect(context.apiVideo.server.count(API_VIDEO_STATUS)).toBeGreaterThan(statusReadsBefore);
    // 202 when an event beat the wait's registration: the registration then found it and completed the task.
    expect([{ status: 200 }, { status: 202 }]).toContainEqual(hlsDelivery(run.job.jobId)?.result);
  });

  it("refuses a forged webhook with 401 and keeps waiting, then completes on the genuine one", async () => {
    // Prepare: the simulator's own deliveries are lost, so only this test's calls reach the receiver.
    context.dropProviderDeliveries = true;
    const run = start("apivideo");
    await until(() => hlsDelivery(run.job.jobId) !== undefined, "a dropped HLS delivery");
    const genuine = hlsDelivery(run.job.jobId)?.body as string;
    const { videoId } = JSON.parse(genuine) as { videoId: string };
    await until(async () => (await registration("apivideo", videoId)) !== undefined, "the wait filed");

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
    await context.apiVideo.idle();
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
    // Prepare: every delivery is lost, so only the fallback can end the wait, whenever its heartbeat fires.
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
  it("completes the job on the callback URLs, confirmed by reading the media and the render, without polling", async () => {
    // Prepare
    const mediaReadsBefore = context.videoDev.server.count(VIDEO_DEV_MEDIA);
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
    // No poll: the media was read to confirm its webhook; the render to confirm its webhook, then by Publish.
    expect(context.videoDev.server.count(VIDEO_DEV_MEDIA)).toBeGreaterThan(mediaReadsBefore);
    expect(context.videoDev.server.count(VIDEO_DEV_RENDER)).toBeGreaterThanOrEqual(renderReadsBefore + 2);
  });

  it("refuses a callback with the wrong secret and keeps waiting", async () => {
    // Prepare
    context.dropProviderDeliveries = true;
    const run = start("videodev");
    await until(() => importDelivery(run.job.jobId) !== undefined, "a dropped import delivery");
    await until(
      async () => (await registration("videodev", `${run.job.jobId}/awaitUpload`)) !== undefined,
      "the import wait filed",
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

  it("does not let a forged error or completion on a valid callback URL end an import still processing", async () => {
    // Prepare: video.dev holds the import back until the test lets it finish, and its own import event is
    // lost, so only the test's calls reach the receiver.
    context.videoDev.clock.processingMs = 60 * 60_000;
    context.dropImportDeliveries = true;
    const run = start("videodev");
    const key = `${run.job.jobId}/awaitUpload`;
    await until(async () => (await registration("videodev", key)) !== undefined, "the import wait filed");
    const mediaId = (await registration("videodev", key))?.subjectId as string;
    // The simulator has read the source, so it completes the import as soon as its time is up.
    await until(() => context.videoDev.media(mediaId)?.sizeBytes !== undefined, "the source read");
    const callback = new URL(context.webhooks.videoDevCallbackUrl(run.job.jobId, "awaitUpload"));
    const path = `${callback.pathname}${callback.search}`;
    const forgedError = JSON.stringify({
      event: "import_media.error",
      body: { status: "error", media_id: mediaId, error: "forged: the source is unreadable" },
    });
    const forgedComplete = JSON.stringify({
      event: "import_media.complete",
      body: { status: "complete", media_id: mediaId, media_info: { type: "video", duration_ms: 4000 } },
    });

    // Act
    const error = await post(path, forgedError);
    const complete = await post(path, forgedComplete);
    const stillWaiting = !run.state.finished && context.webhooks.taskTokens.waiting === 1;
    // video.dev finishes the import; the next event for it, forged or not, only says when to look.
    context.videoDev.clock.processingMs = 0;
    const afterwards = await post(path, forgedError);
    const outcome = await run.outcome;

    // Assess: both forgeries kept the wait open (a heartbeat: video.dev says "processing").
    expect(error).toEqual({ status: 200, body: { status: "heartbeat" } });
    expect(complete).toEqual({ status: 200, body: { status: "heartbeat" } });
    expect(stillWaiting).toBe(true);
    expect(afterwards).toEqual({ status: 200, body: { status: "completed" } });
    expect(outcome.status).toBe("succeeded");
    expect(run.entered()).not.toContain("Poll upload");
  });

  it("does not let a forged error on a valid callback URL fail an import video.dev completed", async () => {
    // Prepare: the genuine completion is lost, so only the forged error reaches the receiver.
    context.dropImportDeliveries = true;
    const run = start("videodev");
    const key = `${run.job.jobId}/awaitUpload`;
    await until(() => importDelivery(run.job.jobId) !== undefined, "a dropped import delivery");
    await until(async () => (await registration("videodev", key)) !== undefined, "the import wait filed");
    const mediaId = (await registration("videodev", key))?.subjectId as string;
    const callback = new URL(context.webhooks.videoDevCallbackUrl(run.job.jobId, "awaitUpload"));
    const forgedError = JSON.stringify({
      event: "import_media.error",
      body: { status: "error", media_id: mediaId, error: "forged" },
    });

    // Act
    const answer = await post(`${callback.pathname}${callback.search}`, forgedError);
    const outcome = await run.outcome;

    // Assess: the wait ended on video.dev's own answer, a completed media.
    expect(answer).toEqual({ status: 200, body: { status: "completed" } });
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
