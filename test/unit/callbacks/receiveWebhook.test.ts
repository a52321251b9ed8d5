import { beforeEach, describe, expect, it } from "vitest";
import { apiVideoCallbackSource } from "../../../functions/callbacks/apiVideoCallbackSource";
import { awaitCallback } from "../../../functions/callbacks/awaitCallback";
import type { CallbackRecord } from "../../../functions/callbacks/CallbackRegistry";
import { callbackUrl } from "../../../functions/callbacks/callbackSecret";
import { receiveWebhook, type WebhookRequest } from "../../../functions/callbacks/receiveWebhook";
import { signBody } from "../../../functions/providers/core/simulator/webhooks";
import { recordFailure } from "../../../functions/steps/recordFailure";
import { InMemoryCallbackRegistry, RecordingTaskCompletion } from "./fakes";

const WEBHOOK_SECRET = "sig_sec_test";
const SIGNING_KEY = "callback-signing-key";
const NOW = new Date("2026-03-01T12:00:00Z");

let registry: InMemoryCallbackRegistry;
let completion: RecordingTaskCompletion;

beforeEach(() => {
  registry = new InMemoryCallbackRegistry();
  completion = new RecordingTaskCompletion();
});

const dependencies = () => ({
  registry,
  completion,
  apiVideoWebhookSecret: async () => WEBHOOK_SECRET,
  callbackSigningKey: async () => SIGNING_KEY,
  now: () => NOW,
});

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
  it("completes the wait with the poll step's answer on a validly signed HLS event", async () => {
    // Prepare
    await waitFor("apivideo", "vi123", { ids: { videoId: "vi123" } });

    // Act
    const answer = await receiveWebhook(apiVideoRequest(qualityEvent()), dependencies());

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(completion.calls).toEqual([
      {
        kind: "succeed",
        taskToken: "token-1",
        output: expect.objectContaining({ ready: true, playable: true, nextPollSeconds: expect.any(Number) }),
      },
    ]);
    expect((await registry.getCallback({ provider: "apivideo", key: "vi123" }))?.completedAt).toBeDefined();
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
    await receiveWebhook(apiVideoRequest(qualityEvent()), dependencies());

    // Act
    const duplicate = await receiveWebhook(apiVideoRequest(qualityEvent()), dependencies());

    // Assess
    expect(duplicate).toEqual({ statusCode: 200, body: JSON.stringify({ status: "already completed" }) });
    expect(completion.calls.filter((call) => call.kind === "succeed")).toHaveLength(1);
  });

  it("sends a heartbeat for an MP4 rendition: progress, not the end of the wait", async () => {
    // Prepare
    await waitFor("apivideo", "vi123", {});

    // Act
    const answer = await receiveWebhook(apiVideoRequest(qualityEvent({ encoding: "mp4" })), dependencies());

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(completion.calls).toEqual([{ kind: "heartbeat", taskToken: "token-1" }]);
  });

  it("keeps an event that beat the registration, and the registration then completes the task", async () => {
    // Act
    const early = await receiveWebhook(apiVideoRequest(qualityEvent()), dependencies());
    const registered = await awaitCallback(
      { registry, completion, now: () => NOW },
      apiVideoCallbackSource,
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
    await receiveWebhook(apiVideoRequest(qualityEvent()), dependencies());
    const later = new Date(NOW.getTime() + 60_000);
    await awaitCallback({ registry, completion, now: () => NOW }, apiVideoCallbackSource, address, {
      ...wait,
      taskToken: "token-1",
    });

    // Act: the redrive waits on the same video again.
    const again = await awaitCallback(
      { registry, completion, now: () => later },
      apiVideoCallbackSource,
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

  it("completes the import wait when the URL's secret is the one derived for its job and stage", async () => {
    // Prepare
    await waitFor("videodev", "job-1/awaitUpload", { subjectId: "m1", ids: { mediaId: "m1" } });

    // Act
    const answer = await receiveWebhook(videoDevRequest("job-1", "awaitUpload", imported), dependencies());

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(completion.calls).toEqual([
      {
        kind: "succeed",
        taskToken: "token-1",
        output: expect.objectContaining({ ready: true, durationMs: 4000 }),
      },
    ]);
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

  it("fails the render wait with the error and cause a failed poll would have recorded", async () => {
    // Prepare
    await waitFor("videodev", "job-1/awaitRender", {
      stage: "awaitRender",
      subjectId: "r1",
      ids: { clipId: "c1", renderId: "r1" },
    });
    const failed = {
      event: "render_video_clip.error",
      body: { render_id: "r1", status: "error", error: "no subject found" },
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
