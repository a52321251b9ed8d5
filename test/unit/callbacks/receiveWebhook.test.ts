import { beforeEach, describe, expect, it } from "vitest";
import { confirmApiVideoOutcome } from "../../../functions/callbacks/apiVideoCallbackSource";
import { awaitCallback } from "../../../functions/callbacks/awaitCallback";
import type { CallbackRecord } from "../../../functions/callbacks/CallbackRegistry";
import { callbackUrl } from "../../../functions/callbacks/callbackSecret";
import { receiveWebhook, type WebhookRequest } from "../../../functions/callbacks/receiveWebhook";
import { confirmVideoDevOutcome } from "../../../functions/callbacks/videoDevCallbackSource";
import { signBody } from "../../../functions/providers/core/simulator/webhooks";
import { recordFailure } from "../../../functions/steps/recordFailure";
import {
  InMemoryCallbackRegistry,
  RecordingTaskCompletion,
  scriptedApiVideo,
  scriptedVideoDev,
} from "./fakes";

const WEBHOOK_SECRET = "sig_sec_test";
const SIGNING_KEY = "callback-signing-key";
const NOW = new Date("2026-03-01T12:00:00Z");

let registry: InMemoryCallbackRegistry;
let completion: RecordingTaskCompletion;
/** What api.video and video.dev answer when the receiver reads the awaited work back. */
let apiVideo: ReturnType<typeof scriptedApiVideo>;
let videoDev: ReturnType<typeof scriptedVideoDev>;

beforeEach(() => {
  registry = new InMemoryCallbackRegistry();
  completion = new RecordingTaskCompletion();
  apiVideo = scriptedApiVideo();
  videoDev = scriptedVideoDev();
});

const dependencies = () => ({
  registry,
  completion,
  apiVideoWebhookSecret: async () => WEBHOOK_SECRET,
  callbackSigningKey: async () => SIGNING_KEY,
  confirm: {
    apivideo: confirmApiVideoOutcome(apiVideo.client),
    videodev: confirmVideoDevOutcome(videoDev.client),
  },
  now: () => NOW,
});

/** api.video's `GET /videos/vi123/status`: playable once HLS 720p is encoded. */
function apiVideoSays(playable: boolean, status: "encoding" | "encoded" | "failed" = "encoded") {
  apiVideo.api.answer("GET /videos/vi123/status", {
    ingest: { status: "ingested" },
    encoding: { playable, qualities: [{ quality: "720p", status, type: "hls" }] },
  });
}

/** video.dev's `GET /media/m1`. */
function mediaSays(status: "processing" | "complete" | "error", extra: Record<string, unknown> = {}) {
  videoDev.api.answer("GET /media/m1", { status, media_id: "m1", ...extra });
}

function qualityEvent(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: "video.encoding.quality.completed",
    emittedAt: NOW.toISOString(),
    videoId: "vi123",
    encoding: "hls",
    quality: "240p",
    ...overrides,
  });
}

function apiVideoRequest(
  body: string,
  signature: string | null = signBody(body, WEBHOOK_SECRET),
): WebhookRequest {
  return {
    provider: "apivideo",
    headers: signature === null ? {} : { "x-api-video-signature": signature },
    query: {},
    rawBody: Buffer.from(body),
  };
}

function videoDevRequest(jobId: string, stage: string, body: unknown, secret?: string): WebhookRequest {
  const query = Object.fromEntries(
    new URL(callbackUrl("https://api.test/webhooks/videodev", SIGNING_KEY, jobId, stage)).searchParams,
  );
  return {
    provider: "videodev",
    headers: {},
    query: secret === undefined ? query : { ...query, secret },
    rawBody: Buffer.from(JSON.stringify(body)),
  };
}

function waitFor(provider: "apivideo" | "videodev", key: string, record: Partial<CallbackRecord>) {
  return registry.putCallback(
    { provider, key },
    {
      taskToken: "token-1",
      jobId: "job-1",
      stage: "awaitUpload",
      subjectId: "vi123",
      ids: {},
      registeredAt: NOW.toISOString(),
      ...record,
    },
  );
}

describe("api.video webhooks", () => {
  it("completes the wait with the poll step's answer to api.video's own status on a signed HLS event", async () => {
    // Prepare
    await waitFor("apivideo", "vi123", { ids: { videoId: "vi123" } });
    apiVideoSays(true);

    // Act
    const answer = await receiveWebhook(apiVideoRequest(qualityEvent()), dependencies());

    // Assess: the output is the status api.video gave (720p), not the event's rendition (240p).
    expect(answer.statusCode).toBe(200);
    expect(completion.calls).toEqual([
      {
        kind: "succeed",
        taskToken: "token-1",
        output: expect.objectContaining({
          ready: true,
          playable: true,
          nextPollSeconds: expect.any(Number),
          qualities: [{ quality: "720p", status: "encoded" }],
        }),
      },
    ]);
    expect(apiVideo.api.asked).toContain("GET /videos/vi123/status");
    expect((await registry.getCallback({ provider: "apivideo", key: "vi123" }))?.completedAt).toBeDefined();
  });

  it("keeps waiting (a heartbeat) when api.video's status does not back a signed HLS event yet", async () => {
    // Prepare
    await waitFor("apivideo", "vi123", { ids: { videoId: "vi123" } });
    apiVideoSays(false, "encoding");

    // Act
    const answer = await receiveWebhook(apiVideoRequest(qualityEvent()), dependencies());

    // Assess
    expect(answer).toEqual({ statusCode: 200, body: JSON.stringify({ status: "heartbeat" }) });
    expect(completion.calls).toEqual([{ kind: "heartbeat", taskToken: "token-1" }]);
    expect((await registry.getCallback({ provider: "apivideo", key: "vi123" }))?.completedAt).toBeUndefined();
  });

  it("answers 503 and leaves the wait open when api.video cannot be read, so the delivery is retried", async () => {
    // Prepare
    await waitFor("apivideo", "vi123", { ids: { videoId: "vi123" } });
    apiVideo.api.answer("GET /videos/vi123/status", { title: "unavailable" }, 503);

    // Act
    const answer = await receiveWebhook(apiVideoRequest(qualityEvent()), dependencies());

    // Assess
    expect(answer).toMatchObject({ statusCode: 503, unconfirmedBecause: "ProviderUnavailableError" });
    expect(completion.calls).toEqual([]);
    expect((await registry.getCallback({ provider: "apivideo", key: "vi123" }))?.completedAt).toBeUndefined();
  });

  it.each([
    ["forged", signBody(qualityEvent(), "someone-else")],
    ["missing", null],
    ["not hex", "zz"],
  ])("refuses a %s signature with 401 and touches nothing", async (_case, signature) => {
    // Prepare
    await waitFor("apivideo", "vi123", {});

    // Act
    const answer = await receiveWebhook(apiVideoRequest(qualityEvent(), signature), dependencies());

    // Assess
    expect(answer.statusCode).toBe(401);
    expect(completion.calls).toEqual([]);
    expect(registry.events.size).toBe(0);
    expect(apiVideo.api.asked).toEqual([]);
    expect((await registry.getCallback({ provider: "apivideo", key: "vi123" }))?.completedAt).toBeUndefined();
  });

  it("refuses a validly signed event emitted more than five minutes ago: a replay", async () => {
    // Prepare
    await waitFor("apivideo", "vi123", {});
    const old = qualityEvent({ emittedAt: new Date(NOW.getTime() - 6 * 60_000).toISOString() });

    // Act
    const answer = await receiveWebhook(apiVideoRequest(old), dependencies());

    // Assess
    expect(answer.statusCode).toBe(401);
    expect(completion.calls).toEqual([]);
  });

  it("answers a duplicate delivery 200 without completing the task twice", async () => {
    // Prepare
    await waitFor("apivideo", "vi123", {});
    apiVideoSays(true);
    await receiveWebhook(apiVideoRequest(qualityEvent()), dependencies());

    // Act
    const duplicate = await receiveWebhook(apiVideoRequest(qualityEvent()), dependencies());

    // Assess
    expect(duplicate).toEqual({ statusCode: 200, body: JSON.stringify({ status: "already completed" }) });
    expect(completion.calls.filter((call) => call.kind === "succeed")).toHaveLength(1);
  });

  it("sends a heartbeat for an MP4 rendition while the video is not playable: progress, not the end", async () => {
    // Prepare
    await waitFor("apivideo", "vi123", {});
    apiVideoSays(false, "encoding");

    // Act
    const answer = await receiveWebhook(apiVideoRequest(qualityEvent({ encoding: "mp4" })), dependencies());

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(completion.calls).toEqual([{ kind: "heartbeat", taskToken: "token-1" }]);
  });

  it("keeps an event that beat the registration, and the registration then confirms and completes the task", async () => {
    // Prepare
    apiVideoSays(true);

    // Act
    const early = await receiveWebhook(apiVideoRequest(qualityEvent()), dependencies());
    const registered = await awaitCallback(
      { registry, completion, now: () => NOW },
      confirmApiVideoOutcome(apiVideo.client),
      { provider: "apivideo", key: "vi123" },
      {
        taskToken: "token-2",
        jobId: "job-1",
        stage: "awaitUpload",
        subjectId: "vi123",
        ids: { videoId: "vi123" },
      },
    );

    // Assess
    expect(early.statusCode).toBe(202);
    expect(registered).toEqual({ registered: true, settled: "completed" });
    expect(completion.calls).toEqual([
      { kind: "succeed", taskToken: "token-2", output: expect.objectContaining({ ready: true }) },
    ]);
    expect(apiVideo.api.reads).toBe(1);
  });

  it("leaves the wait open when an event that beat the registration is not backed by api.video", async () => {
    // Prepare
    apiVideoSays(false, "encoding");
    await receiveWebhook(apiVideoRequest(qualityEvent()), dependencies());

    // Act
    const registered = await awaitCallback(
      { registry, completion, now: () => NOW },
      confirmApiVideoOutcome(apiVideo.client),
      { provider: "apivideo", key: "vi123" },
      { taskToken: "token-2", jobId: "job-1", stage: "awaitUpload", subjectId: "vi123", ids: {} },
    );

    // Assess
    expect(registered).toEqual({ registered: true });
    expect(completion.calls).toEqual([]);
  });

  it("does not end a redriven job's new wait on the event an earlier wait already used", async () => {
    // Prepare: the first attempt's event beat its registration and ended that wait.
    const address = { provider: "apivideo" as const, key: "vi123" };
    const wait = {
      jobId: "job-1",
      stage: "awaitUpload" as const,
      subjectId: "vi123",
      ids: { videoId: "vi123" },
    };
    apiVideoSays(true);
    await receiveWebhook(apiVideoRequest(qualityEvent()), dependencies());
    const later = new Date(NOW.getTime() + 60_000);
    await awaitCallback(
      { registry, completion, now: () => NOW },
      confirmApiVideoOutcome(apiVideo.client),
      address,
      {
        ...wait,
        taskToken: "token-1",
      },
    );

    // Act: the redrive waits on the same video again.
    const again = await awaitCallback(
      { registry, completion, now: () => later },
      confirmApiVideoOutcome(apiVideo.client),
      address,
      {
        ...wait,
        taskToken: "token-2",
      },
    );

    // Assess
    expect(again).toEqual({ registered: true });
    expect(completion.calls.map((call) => call.taskToken)).toEqual(["token-1"]);
  });

  it("answers 200 when the task was already closed (it timed out into polling)", async () => {
    // Prepare
    await waitFor("apivideo", "vi123", {});
    apiVideoSays(true);
    completion.closed.add("token-1");

    // Act
    const answer = await receiveWebhook(apiVideoRequest(qualityEvent()), dependencies());

    // Assess
    expect(answer).toEqual({ statusCode: 200, body: JSON.stringify({ status: "already-closed" }) });
  });
});

describe("video.dev callbacks", () => {
  const imported = {
    event: "import_media.complete",
    body: { status: "complete", media_id: "m1", media_info: { type: "video", duration_ms: 4000 } },
  };

  it("completes the import wait on video.dev's own media when the URL's secret is the one for its job and stage", async () => {
    // Prepare
    await waitFor("videodev", "job-1/awaitUpload", { subjectId: "m1", ids: { mediaId: "m1" } });
    mediaSays("complete", { media_info: { type: "video", duration_ms: 6000 } });

    // Act
    const answer = await receiveWebhook(videoDevRequest("job-1", "awaitUpload", imported), dependencies());

    // Assess: the duration is video.dev's answer (6000), not the event body's (4000).
    expect(answer.statusCode).toBe(200);
    expect(completion.calls).toEqual([
      {
        kind: "succeed",
        taskToken: "token-1",
        output: expect.objectContaining({ ready: true, durationMs: 6000 }),
      },
    ]);
    expect(videoDev.api.asked).toEqual(["GET /media/m1"]);
  });

  describe("a forged event with a valid callback URL", () => {
    const forgedError = {
      event: "import_media.error",
      body: { status: "error", media_id: "m1", error: "forged" },
    };

    it.each([
      ["an error while the import is still processing", forgedError, "processing"],
      ["a completion while the import is still processing", imported, "processing"],
    ] as const)("does not end the wait: %s", async (_case, event, status) => {
      // Prepare
      await waitFor("videodev", "job-1/awaitUpload", { subjectId: "m1", ids: { mediaId: "m1" } });
      mediaSays(status);

      // Act
      const answer = await receiveWebhook(videoDevRequest("job-1", "awaitUpload", event), dependencies());

      // Assess
      expect(answer.statusCode).toBe(200);
      expect(completion.calls.filter((call) => call.kind !== "heartbeat")).toEqual([]);
      expect(
        (await registry.getCallback({ provider: "videodev", key: "job-1/awaitUpload" }))?.completedAt,
      ).toBeUndefined();
    });

    it("cannot fail a job whose import video.dev completed: the wait succeeds on video.dev's media", async () => {
      // Prepare
      await waitFor("videodev", "job-1/awaitUpload", { subjectId: "m1", ids: { mediaId: "m1" } });
      mediaSays("complete", { media_info: { type: "video", duration_ms: 4000 } });

      // Act
      const answer = await receiveWebhook(
        videoDevRequest("job-1", "awaitUpload", forgedError),
        dependencies(),
      );

      // Assess
      expect(answer.statusCode).toBe(200);
      expect(completion.calls).toEqual([
        { kind: "succeed", taskToken: "token-1", output: expect.objectContaining({ ready: true }) },
      ]);
    });
  });

  it("answers 503 without touching the wait when video.dev answers 5xx to the confirming read", async () => {
    // Prepare
    await waitFor("videodev", "job-1/awaitUpload", { subjectId: "m1", ids: { mediaId: "m1" } });
    videoDev.api.answer("GET /media/m1", { error: { message: "down" } }, 502);

    // Act
    const answer = await receiveWebhook(videoDevRequest("job-1", "awaitUpload", imported), dependencies());

    // Assess: a 5xx is what video.dev (assumed) and api.video (3 attempts) deliver again on.
    expect(answer.statusCode).toBe(503);
    expect(JSON.parse(answer.body)).toEqual({ status: "could not confirm with the provider; deliver again" });
    expect(completion.calls).toEqual([]);
  });

  it("refuses a wrong secret, or another job's secret, with 401", async () => {
    // Prepare
    await waitFor("videodev", "job-1/awaitUpload", { subjectId: "m1" });
    const otherJobs = new URL(callbackUrl("https://x.test/", SIGNING_KEY, "job-2", "awaitUpload"))
      .searchParams;

    // Act
    const wrong = await receiveWebhook(
      videoDevRequest("job-1", "awaitUpload", imported, "ab".repeat(32)),
      dependencies(),
    );
    const borrowed = await receiveWebhook(
      videoDevRequest("job-1", "awaitUpload", imported, otherJobs.get("secret") as string),
      dependencies(),
    );

    // Assess
    expect(wrong.statusCode).toBe(401);
    expect(borrowed.statusCode).toBe(401);
    expect(completion.calls).toEqual([]);
  });

  it("fails the render wait with the error and cause a failed poll would have recorded, on video.dev's word", async () => {
    // Prepare
    await waitFor("videodev", "job-1/awaitRender", {
      stage: "awaitRender",
      subjectId: "r1",
      ids: { clipId: "c1", renderId: "r1" },
    });
    videoDev.api.answer("GET /clip/c1/render/r1", {
      render_id: "r1",
      status: "error",
      error: "no subject found",
    });
    const failed = {
      event: "render_video_clip.error",
      body: { render_id: "r1", status: "error", error: "whatever the body says" },
    };

    // Act
    const answer = await receiveWebhook(videoDevRequest("job-1", "awaitRender", failed), dependencies());

    // Assess
    expect(answer.statusCode).toBe(200);
    const call = completion.calls[0];
    expect(call?.kind).toBe("fail");
    const { error, cause } = call as { error: string; cause: string };
    expect(error).toBe("ProviderJobFailedError");
    const record = recordFailure(
      { jobId: "job-1", provider: "videodev" },
      { awaitRender: { Error: error, Cause: cause } },
    );
    expect(record).toMatchObject({ step: "awaitRender", error: "ProviderJobFailedError" });
    expect(record.message).toBe("videodev render r1 of clip c1 failed: no subject found");
  });

  it("does not let an event about other work complete the wait", async () => {
    // Prepare
    await waitFor("videodev", "job-1/awaitUpload", { subjectId: "m-current" });

    // Act
    const answer = await receiveWebhook(videoDevRequest("job-1", "awaitUpload", imported), dependencies());

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(completion.calls).toEqual([]);
    expect(videoDev.api.asked).toEqual([]);
  });
});

it("answers 404 for a provider without webhooks", async () => {
  // Act
  const answer = await receiveWebhook(
    { ...apiVideoRequest(qualityEvent()), provider: "vidio" },
    dependencies(),
  );

  // Assess
  expect(answer.statusCode).toBe(404);
});
