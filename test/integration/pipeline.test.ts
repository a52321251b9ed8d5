import { readFile } from "node:fs/promises";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseJobSpec } from "../../functions/pipeline/jobSpec";
import type { LocalRunOptions, PipelineProgress } from "../../local/LocalPipeline";
import { LocalStack } from "../../local/LocalStack";

/**
 * The real definition in statemachines/ run end to end: handlers in-process, S3 on s3rver, the providers'
 * simulators over HTTP on 127.0.0.1. Waits are shortened; nothing else is stubbed.
 */
let stack: LocalStack;
const key = "inbox/sample-4s-landscape.mp4";
const fast: LocalRunOptions = { pollWaitMs: 5, retryWaitMs: 0, rateLimitWaitMs: 0 };

beforeAll(async () => {
  // These tests are about the polling waits; test/integration/webhooks.pipeline.test.ts covers webhooks.
  stack = await LocalStack.start({ processingMs: 40, env: {}, webhooks: false });
  const body = await readFile(new URL("../fixtures/sample-4s-landscape.mp4", import.meta.url));
  await stack.s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: body }));
});

afterAll(async () => {
  await stack?.stop();
});

afterEach(() => {
  stack.simulators.apivideo?.server.faults.clear();
  stack.simulators.videodev?.server.faults.clear();
});

function job(provider: "apivideo" | "videodev", extra: Record<string, unknown> = {}) {
  return parseJobSpec({ provider, source: { bucket: stack.bucket, key }, ...extra });
}

/** How many requests to `route` a simulator answered with `status` (0: the connection was dropped). */
function answered(provider: "apivideo" | "videodev", route: string, status: number): number {
  const log = stack.simulators[provider]?.server.log ?? [];
  return log.filter((entry) => `${entry.method} ${entry.route}` === route && entry.status === status).length;
}

async function run(provider: "apivideo" | "videodev", extra: Record<string, unknown> = {}) {
  const progress: PipelineProgress[] = [];
  const outcome = await stack.pipeline.run(job(provider, extra), {
    ...fast,
    onProgress: (p) => progress.push(p),
  });
  return { outcome, entered: progress.filter((p) => p.kind === "entered").map((p) => p.state), progress };
}

describe("api.video through the pipeline", () => {
  it("uploads the S3 object, waits until playable and publishes the video's URLs", async () => {
    // Act
    const { outcome, entered } = await run("apivideo", { title: "Sample" });

    // Assess
    expect(outcome.status).toBe("succeeded");
    const result = outcome.status === "succeeded" ? outcome.result : {};
    expect(result).toMatchObject({ status: "succeeded", provider: "apivideo", title: "Sample" });
    expect(result.hls).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.+\.m3u8$/);
    expect(result.player).toEqual(expect.any(String));
    expect(result.iframe).toContain("<iframe");
    expect(entered).toEqual(expect.arrayContaining(["Upload", "Poll upload", "Publish"]));
    expect(entered).not.toContain("Render");
    const video = stack.simulators.apivideo?.video(result.videoId as string);
    expect(video?.title).toBe("Sample");
  });

  it("still ends in results when the provider answers 429 and 5xx on the way", async () => {
    // Prepare
    const videosBefore = answered("apivideo", "POST /videos", 201);
    const faults = stack.simulators.apivideo?.server.faults;
    faults
      ?.unavailable({ times: 2, route: "POST /videos" })
      .rateLimit({ times: 1, retryAfterSeconds: 2, route: "GET /videos/:videoId/status" });

    // Act
    const { outcome, entered, progress } = await run("apivideo");

    // Assess: counted from the simulator's fault switches, not from how many attempts a busy machine made.
    // Each 503 was retried (not recorded as a failure), and the retries created one video, not three.
    expect(outcome.status).toBe("succeeded");
    expect(answered("apivideo", "POST /videos", 503)).toBe(2);
    expect(answered("apivideo", "POST /videos", 201)).toBe(videosBefore + 1);
    const uploadRetries = progress.filter((p) => p.kind === "retried" && p.state === "Upload");
    expect(uploadRetries.length).toBeGreaterThanOrEqual(2);
    expect(answered("apivideo", "GET /videos/:videoId/status", 429)).toBe(1);
    expect(entered).toContain("Wait Retry-After");
  });

  it("ends in a failure record naming provider, step and reason when encoding fails", async () => {
    // Prepare
    stack.simulators.apivideo?.failNextEncoding();

    // Act
    const { outcome } = await run("apivideo");

    // Assess
    expect(outcome).toMatchObject({
      status: "failed",
      error: "ProviderJobFailedError",
      record: {
        status: "failed",
        provider: "apivideo",
        step: "awaitUpload",
        error: "ProviderJobFailedError",
      },
    });
    expect(outcome.status === "failed" && String(outcome.record.message)).toMatch(/encoding failed/);
  });

  it("gives up with a failure record when the provider keeps rate limiting", async () => {
    // Prepare
    stack.simulators.apivideo?.server.faults.rateLimit({ times: 50, route: "POST /videos" });

    // Act
    const { outcome, entered } = await run("apivideo");

    // Assess
    expect(outcome).toMatchObject({
      status: "failed",
      record: { step: "upload", error: "RateLimitedError" },
    });
    expect(entered.filter((state) => state === "Wait Retry-After")).toHaveLength(10);
  });
});

describe("video.dev through the pipeline", () => {
  it("imports from a presigned URL, clips, renders with smart crop and publishes the rendered media", async () => {
    // Act
    const { outcome, entered } = await run("videodev", {
      videodev: { clip: { startMs: 500, endMs: 3500 }, crop: { aspectRatio: "9:16", smartCrop: true } },
    });

    // Assess
    expect(outcome.status).toBe("succeeded");
    const result = outcome.status === "succeeded" ? outcome.result : {};
    expect(result).toMatchObject({
      provider: "videodev",
      crop: { aspectRatio: "9:16", smartCrop: true, enabled: true },
    });
    expect(result.mediaUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    const info = result.mediaInfo as { width: number; height: number };
    expect(info.height).toBeGreaterThan(info.width);
    expect(entered).toEqual(
      expect.arrayContaining(["Upload", "Poll upload", "Create", "Render", "Poll render", "Publish"]),
    );
  });

  it("retries 503s and a dropped poll, and still publishes", async () => {
    // Prepare
    const clipsBefore = answered("videodev", "POST /clip", 200);
    const rendersBefore = answered("videodev", "POST /clip/:clipId/render_video", 200);
    stack.simulators.videodev?.server.faults
      .unavailable({ times: 1, route: "POST /clip" })
      .unavailable({ times: 1, route: "POST /clip/:clipId/render_video" })
      .dropConnection({ times: 1, route: "GET /clip/:clipId/render/:renderId" });

    // Act
    const { outcome, progress } = await run("videodev");

    // Assess: every fault was served once and retried by its own state; one clip and one render came of it.
    expect(outcome.status).toBe("succeeded");
    expect(answered("videodev", "POST /clip", 503)).toBe(1);
    expect(answered("videodev", "POST /clip/:clipId/render_video", 503)).toBe(1);
    expect(answered("videodev", "GET /clip/:clipId/render/:renderId", 0)).toBe(1);
    expect(progress.filter((p) => p.kind === "retried").map((p) => p.state)).toEqual(
      expect.arrayContaining(["Create", "Render", "Poll render"]),
    );
    expect(answered("videodev", "POST /clip", 200)).toBe(clipsBefore + 1);
    expect(answered("videodev", "POST /clip/:clipId/render_video", 200)).toBe(rendersBefore + 1);
  });

  it("does not send a create again when its answer was lost: it records the unknown outcome", async () => {
    // Prepare
    const clipsBefore = stack.simulators.videodev?.server.count("POST /clip") ?? 0;
    stack.simulators.videodev?.server.faults.dropConnection({ times: 1, route: "POST /clip" });

    // Act
    const { outcome } = await run("videodev");

    // Assess
    expect(outcome).toMatchObject({
      status: "failed",
      record: { provider: "videodev", step: "create", error: "ProviderOutcomeUnknownError" },
    });
    expect(stack.simulators.videodev?.server.count("POST /clip")).toBe(clipsBefore + 1);
  });

  it("records a clip end past the media as the user's field, without asking video.dev", async () => {
    // Prepare
    const clipsBefore = stack.simulators.videodev?.server.count("POST /clip");

    // Act
    const { outcome } = await run("videodev", { videodev: { clip: { startMs: 0, endMs: 60_000 } } });

    // Assess
    expect(outcome).toMatchObject({
      status: "failed",
      record: { provider: "videodev", step: "create", error: "InvalidInputError" },
    });
    expect(outcome.status === "failed" && String(outcome.record.message)).toMatch(/videodev\.clip\.endMs/);
    expect(stack.simulators.videodev?.server.count("POST /clip")).toBe(clipsBefore);
  });

  it("ends in a failure record when the render fails", async () => {
    // Prepare
    stack.simulators.videodev?.failNextRender("no subject found to crop on");

    // Act
    const { outcome } = await run("videodev");

    // Assess
    expect(outcome).toMatchObject({
      status: "failed",
      record: { provider: "videodev", step: "awaitRender", error: "ProviderJobFailedError" },
    });
    expect(outcome.status === "failed" && String(outcome.record.message)).toMatch(
      /no subject found to crop on/,
    );
  });
});
