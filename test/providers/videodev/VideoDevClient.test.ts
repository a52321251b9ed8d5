import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ProviderAuthError,
  ProviderRejectedError,
  ProviderUnavailableError,
  RateLimitedError,
} from "../../../functions/providers/core/errors";
import { InvalidInputError } from "../../../functions/providers/core/InvalidInputError";
import { webhookEventSchema } from "../../../functions/providers/videodev/schemas";
import {
  type VideoDevClient as Client,
  describeVideoDevError,
  VideoDevClient,
  type VideoDevMedia,
  type VideoDevRender,
} from "../../../functions/providers/videodev/VideoDevClient";
import { VideoDevSimulator } from "../../../functions/providers/videodev/VideoDevSimulator";
import { captured, everythingShown, pollUntil, stopServer } from "../testing";

const API_KEY = "sk-videodev-test-SECRET-4242";
const WRONG_KEY = "sk-videodev-wrong-SECRET-9999";
const FIXTURE = new URL("../../fixtures/sample-4s-landscape.mp4", import.meta.url);

interface Received {
  path: string;
  body: unknown;
}

/** A node:http server that serves the sample video (the "S3 object") and records webhooks it receives. */
async function startHelperServer(video: Buffer) {
  const received: Received[] = [];
  const sourceRequests: string[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const path = req.url ?? "/";
      if (req.method === "GET" && path.startsWith("/source/sample-4s-landscape.mp4")) {
        sourceRequests.push(path);
        res.writeHead(200, { "content-type": "video/mp4", "content-length": String(video.length) });
        res.end(video);
      } else if (req.method === "POST" && path.startsWith("/hooks/")) {
        received.push({ path, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
        res.writeHead(204).end();
      } else {
        res.writeHead(404).end("not found");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, base, received, sourceRequests };
}

describe("VideoDevClient against the video.dev simulator", () => {
  let simulator: VideoDevSimulator;
  let helper: Awaited<ReturnType<typeof startHelperServer>>;
  let client: Client;
  let baseUrl: string;
  let sourceUrl: string;
  let media: VideoDevMedia;

  const finished = (render: VideoDevRender) => render.status !== "processing";

  beforeAll(async () => {
    helper = await startHelperServer(await readFile(FIXTURE));
    simulator = new VideoDevSimulator({ apiKey: API_KEY, processingMs: 40 });
    baseUrl = await simulator.start();
    client = new VideoDevClient({ baseUrl, apiKey: API_KEY, timeoutMs: 2_000 });
    // A presigned-looking URL: its query string must never show up in errors.
    sourceUrl = `${helper.base}/source/sample-4s-landscape.mp4?X-Amz-Signature=abc123`;
    const started = await client.importMedia({ sourceMediaUrl: sourceUrl });
    media = await pollUntil(
      () => client.getMedia(started.media_id),
      (current) => current.status !== "processing",
    );
  });

  afterAll(async () => {
    await simulator.stop();
    await stopServer(helper.server);
  });

  afterEach(() => {
    simulator.server.faults.clear();
  });

  async function newClip(startTimeMs = 500, endTimeMs = 2500) {
    return client.createClip({ mediaId: media.media_id, startTimeMs, endTimeMs });
  }

  it("imports a media from its URL and reports media_info read from the file once complete", async () => {
    // Prepare: the import in beforeAll.
    // Act
    const again = await client.getMedia(media.media_id);
    // Assess
    expect(again.status).toBe("complete");
    expect(again.media_url).toMatch(new RegExp(`^${baseUrl}/`));
    expect(again.media_info).toMatchObject({
      type: "video",
      duration_ms: 4000,
      width: 320,
      height: 180,
      fps: 25,
    });
    expect(again.media_info?.frame_count).toBe(100);
    expect(helper.sourceRequests.length).toBeGreaterThan(0);
    // The presigned source URL is echoed by video.dev but is not kept in what the client returns.
    expect(JSON.stringify(again)).not.toContain("X-Amz-Signature");
  });

  it("answers an import with a processing media and its id", async () => {
    // Prepare
    const input = { sourceMediaUrl: sourceUrl };
    // Act
    const started = await client.importMedia(input);
    // Assess
    expect(started.status).toBe("processing");
    expect(started.media_id).not.toBe("");
    expect(started.media_info).toBeUndefined();
  });

  it("cuts a clip and renders it with a 9:16 smart crop into a downloadable media", async () => {
    // Prepare
    const clip = await newClip(500, 2500);
    // Act
    const started = await client.renderClip({
      clipId: clip.clip_id,
      crop: { enabled: true, aspectRatio: "9:16", smartCrop: true },
    });
    const done = await pollUntil(() => client.getRender(clip.clip_id, started.render_id), finished);
    // Assess
    expect(clip).toMatchObject({ start_time_ms: 500, end_time_ms: 2500, duration_ms: 2000 });
    expect(clip.source_media?.media_id).toBe(media.media_id);
    expect(started.status).toBe("processing");
    expect(started.rendered_media?.status).toBe("processing");
    expect(started.rendered_media?.media_url).toBeUndefined();
    expect(done.status).toBe("complete");
    expect(done.crop).toEqual({ enabled: true, aspect_ratio: "9:16", smart_crop: true });
    expect(done.rendered_media?.status).toBe("complete");
    expect(done.rendered_media?.media_info).toMatchObject({
      duration_ms: 2000,
      width: 100,
      height: 180,
      fps: 25,
    });
    const url = done.rendered_media?.media_url ?? "";
    expect(url.startsWith(`${baseUrl}/`)).toBe(true);
    const download = await fetch(url);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).toString("latin1", 4, 8)).toBe("ftyp");
  });

  it("delivers render_video_clip.complete to the webhook once the render is complete", async () => {
    // Prepare
    const clip = await newClip();
    const hook = `${helper.base}/hooks/render-complete`;
    // Act
    const started = await client.renderClip({
      clipId: clip.clip_id,
      crop: { enabled: true, aspectRatio: "1:1", smartCrop: false },
      webhook: { url: hook, events: ["complete"] },
    });
    await simulator.idle();
    // Assess
    const deliveries = helper.received.filter((entry) => entry.path === "/hooks/render-complete");
    expect(deliveries).toHaveLength(1);
    const event = webhookEventSchema.parse(deliveries[0]?.body);
    expect(event.event).toBe("render_video_clip.complete");
    if (event.event !== "render_video_clip.complete") return;
    expect(event.body.render_id).toBe(started.render_id);
    expect(event.body.status).toBe("complete");
    expect(event.body.rendered_media?.media_info).toMatchObject({ width: 180, height: 180 });
  });

  it("delivers import_media.complete to an import's webhook", async () => {
    // Prepare
    const hook = `${helper.base}/hooks/import-complete`;
    // Act
    const started = await client.importMedia({
      sourceMediaUrl: sourceUrl,
      webhook: { url: hook, events: ["complete"] },
    });
    await simulator.idle();
    // Assess
    const delivered = helper.received.filter((entry) => entry.path === "/hooks/import-complete");
    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.body).toMatchObject({
      event: "import_media.complete",
      body: { media_id: started.media_id, status: "complete" },
    });
  });

  it("reports a failed render as status error, with its reason, and sends the error webhook", async () => {
    // Prepare
    const clip = await newClip();
    simulator.failNextRender("the render farm rejected the clip");
    const hook = `${helper.base}/hooks/render-error`;
    // Act
    const started = await client.renderClip({
      clipId: clip.clip_id,
      crop: { enabled: false, aspectRatio: "16:9", smartCrop: false },
      webhook: { url: hook, events: ["complete", "error"] },
    });
    const done = await pollUntil(() => client.getRender(clip.clip_id, started.render_id), finished);
    await simulator.idle();
    // Assess
    expect(done.status).toBe("error");
    expect(done.rendered_media?.status).toBe("error");
    expect(done.rendered_media?.media_url).toBeUndefined();
    expect(done.error).toBe("the render farm rejected the clip");
    const events = helper.received
      .filter((entry) => entry.path === "/hooks/render-error")
      .map((entry) => entry.body);
    expect(events).toEqual([expect.objectContaining({ event: "render_video_clip.error" })]);
  });

  it("does not send events the webhook did not subscribe to", async () => {
    // Prepare
    const clip = await newClip();
    const hook = `${helper.base}/hooks/errors-only`;
    // Act
    const started = await client.renderClip({
      clipId: clip.clip_id,
      crop: { enabled: false, aspectRatio: "16:9", smartCrop: false },
      webhook: { url: hook, events: ["error"] },
    });
    await simulator.idle();
    const done = await client.getRender(clip.clip_id, started.render_id);
    // Assess
    expect(done.status).toBe("complete");
    expect(helper.received.filter((entry) => entry.path === "/hooks/errors-only")).toEqual([]);
  });

  it("rejects an aspect ratio video.dev does not offer before sending anything, naming the field", async () => {
    // Prepare
    const requestsBefore = simulator.server.log.length;
    // Act
    const error = await captured(() =>
      client.renderClip({
        clipId: "clip_1",
        crop: { enabled: true, aspectRatio: "2:3" as never, smartCrop: true },
      }),
    );
    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe("crop.aspectRatio");
    expect((error as Error).message).toContain("crop.aspectRatio: must be one of 16:9, 1:1");
    expect((error as Error).message).toContain('"2:3"');
    expect(simulator.server.log.length).toBe(requestsBefore);
  });

  it.each([
    { startTimeMs: 2000, endTimeMs: 2000, field: "endTimeMs", shows: "2000" },
    { startTimeMs: 3000, endTimeMs: 1000, field: "endTimeMs", shows: "1000" },
    { startTimeMs: -5, endTimeMs: 1000, field: "startTimeMs", shows: "-5" },
    { startTimeMs: 0, endTimeMs: 1000.5, field: "endTimeMs", shows: "1000.5" },
  ])(
    "rejects the clip range $startTimeMs..$endTimeMs locally, naming $field",
    async ({ field, shows, ...range }) => {
      // Prepare
      const requestsBefore = simulator.server.log.length;
      // Act
      const error = await captured(() => client.createClip({ mediaId: media.media_id, ...range }));
      // Assess
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).field).toBe(field);
      expect((error as Error).message).toContain(`${field}: `);
      expect((error as Error).message).toContain(`got ${shows}`);
      expect(simulator.server.log.length).toBe(requestsBefore);
    },
  );

  it("rejects a source URL that is not http(s), without showing a presigned query string", async () => {
    // Prepare
    const bad = "ftp://bucket.example/video.mp4?X-Amz-Signature=topsecret";
    // Act
    const error = await captured(() => client.importMedia({ sourceMediaUrl: bad }));
    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe("sourceMediaUrl");
    expect((error as Error).message).toContain("ftp://bucket.example/video.mp4");
    expect((error as Error).message).not.toContain("topsecret");
  });

  it("turns video.dev's 400 for a clip past the end of the media into ProviderRejectedError naming the field", async () => {
    // Prepare
    const range = { mediaId: media.media_id, startTimeMs: 1000, endTimeMs: 9000 };
    // Act
    const error = await captured(() => client.createClip(range));
    // Assess
    expect(error).toBeInstanceOf(ProviderRejectedError);
    expect((error as ProviderRejectedError).status).toBe(400);
    expect((error as ProviderRejectedError).field).toBe("end_time_ms");
    expect((error as Error).message).toContain("beyond the end of media");
    expect((error as ProviderRejectedError).retryable).toBe(false);
  });

  it("names from_media_id when the media failed to import, and answers 404 for an unknown clip", async () => {
    // Prepare
    simulator.failNextImport("the source is not a video");
    const failed = await client.importMedia({ sourceMediaUrl: sourceUrl });
    await pollUntil(
      () => client.getMedia(failed.media_id),
      (current) => current.status !== "processing",
    );
    // Act
    const notReady = await captured(() =>
      client.createClip({ mediaId: failed.media_id, startTimeMs: 0, endTimeMs: 1000 }),
    );
    const unknown = await captured(() => client.getRender("clip_missing", "render_missing"));
    // Assess
    expect(notReady).toBeInstanceOf(ProviderRejectedError);
    expect((notReady as ProviderRejectedError).status).toBe(409);
    expect((notReady as ProviderRejectedError).field).toBe("from_media_id");
    expect(unknown).toBeInstanceOf(ProviderRejectedError);
    expect((unknown as ProviderRejectedError).status).toBe(404);
  });

  it("turns a refused key into ProviderAuthError", async () => {
    // Prepare
    const wrong = new VideoDevClient({ baseUrl, apiKey: WRONG_KEY });
    // Act
    const error = await captured(() => wrong.getMedia(media.media_id));
    // Assess
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect((error as ProviderAuthError).status).toBe(401);
    expect((error as Error).message).toContain("X-API-Key");
  });

  it("turns a 429 into RateLimitedError carrying video.dev's Retry-After", async () => {
    // Prepare
    simulator.server.faults.rateLimit({ times: 1, route: "GET /media/:mediaId", retryAfterSeconds: 7 });
    // Act
    const error = await captured(() => client.getMedia(media.media_id));
    const after = await client.getMedia(media.media_id);
    // Assess
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterSeconds).toBe(7);
    expect(after.status).toBe("complete");
  });

  it("turns a 503 into a retryable ProviderUnavailableError", async () => {
    // Prepare
    simulator.server.faults.unavailable({ times: 1, route: "POST /clip" });
    // Act
    const error = await captured(() => newClip());
    // Assess
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as ProviderUnavailableError).status).toBe(503);
    expect((error as ProviderUnavailableError).retryable).toBe(true);
  });

  it("turns a dropped connection into ProviderUnavailableError", async () => {
    // Prepare
    simulator.server.faults.dropConnection({ times: 1, route: "GET /clip/:clipId/render/:renderId" });
    const polls = simulator.server.count("GET /clip/:clipId/render/:renderId");
    // Act
    const error = await captured(() => client.getRender("clip_x", "render_x"));
    // Assess
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as Error).message).toContain("connection");
    expect(simulator.server.count("GET /clip/:clipId/render/:renderId")).toBe(polls + 1);
  });

  it("turns no answer within the timeout into ProviderUnavailableError", async () => {
    // Prepare
    const impatient = new VideoDevClient({ baseUrl, apiKey: API_KEY, timeoutMs: 50 });
    simulator.server.faults.addLatency(300);
    // Act
    const error = await captured(() => impatient.getMedia(media.media_id));
    // Assess
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as Error).message).toContain("no answer within 50 ms");
  });

  it("turns a read whose body is not JSON into a retryable ProviderUnavailableError", async () => {
    // Prepare
    simulator.server.faults.malformedBody({ times: 1, route: "GET /media/:mediaId" });
    // Act
    const error = await captured(() => client.getMedia(media.media_id));
    // Assess
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as Error).message).toContain("not JSON");
  });

  it("turns a read outside the documented contract into a retryable error naming the field", async () => {
    // Prepare: a transport that answers with an unknown status value.
    const fake = new VideoDevClient({
      baseUrl: "https://api.video.dev/v1",
      apiKey: API_KEY,
      fetch: async () => Response.json({ render_id: "r1", status: "finished" }),
    });
    // Act
    const error = await captured(() => fake.getRender("c1", "r1"));
    // Assess
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as Error).message).toContain("status");
  });

  it("reads null optional fields as absent instead of refusing the answer", async () => {
    // Prepare
    const fake = new VideoDevClient({
      baseUrl: "https://api.video.dev/v1",
      apiKey: API_KEY,
      fetch: async () =>
        Response.json({ status: "processing", media_id: "m1", media_url: null, media_info: null, extra: 1 }),
    });
    // Act
    const read = await fake.getMedia("m1");
    // Assess
    expect(read.media_url).toBeUndefined();
    expect(read.media_info).toBeUndefined();
    expect(read).not.toHaveProperty("extra");
  });

  it("sends the key as X-API-Key and escapes ids in paths", async () => {
    // Prepare
    const seen: { url: string; headers: Headers }[] = [];
    const fake = new VideoDevClient({
      baseUrl: "https://api.video.dev/v1/",
      apiKey: API_KEY,
      fetch: async (url, init) => {
        seen.push({ url, headers: new Headers(init.headers) });
        return Response.json({ status: "complete", media_id: "a/b" });
      },
    });
    // Act
    await fake.getMedia("a/b");
    // Assess
    expect(seen[0]?.url).toBe("https://api.video.dev/v1/media/a%2Fb");
    expect(seen[0]?.headers.get("x-api-key")).toBe(API_KEY);
  });

  it("never puts the API key in an error", async () => {
    // Prepare
    const wrong = new VideoDevClient({ baseUrl, apiKey: WRONG_KEY, timeoutMs: 1_000 });
    simulator.server.faults
      .rateLimit({ times: 1, route: "GET /media/:mediaId" })
      .unavailable({ times: 1, route: "POST /clip" })
      .dropConnection({ times: 1, route: "GET /clip/:clipId/render/:renderId" })
      .malformedBody({ times: 1, route: "POST /media/import" });
    // Act
    const errors = [
      await captured(() => client.getMedia(media.media_id)),
      await captured(() => newClip()),
      await captured(() => client.getRender("c", "r")),
      await captured(() => client.importMedia({ sourceMediaUrl: sourceUrl })),
      await captured(() => client.createClip({ mediaId: media.media_id, startTimeMs: 0, endTimeMs: 99_000 })),
      await captured(() => wrong.getMedia(media.media_id)),
      await captured(() => client.createClip({ mediaId: media.media_id, startTimeMs: 5, endTimeMs: 1 })),
    ];
    // Assess
    expect(errors.map((error) => (error as Error).name)).toEqual([
      "RateLimitedError",
      "ProviderUnavailableError",
      "ProviderUnavailableError",
      "ProviderOutcomeUnknownError",
      "ProviderRejectedError",
      "ProviderAuthError",
      "InvalidInputError",
    ]);
    for (const error of errors) {
      const text = everythingShown(error);
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain(WRONG_KEY);
    }
  });

  it("refuses to be built without a key, without echoing what it got", () => {
    // Prepare
    const options = { baseUrl, apiKey: "   " };
    // Act
    const build = () => new VideoDevClient(options);
    // Assess
    expect(build).toThrow(InvalidInputError);
    expect(build).toThrow(/apiKey: is missing/);
  });
});

describe("a source video.dev cannot fetch", () => {
  let simulator: VideoDevSimulator;
  let client: Client;

  beforeAll(async () => {
    simulator = new VideoDevSimulator({ processingMs: 10 });
    client = new VideoDevClient({ baseUrl: await simulator.start(), apiKey: simulator.apiKey });
  });

  afterAll(async () => {
    await simulator.stop();
  });

  it("leaves the media in status error when its URL is unreachable", async () => {
    // Prepare: a port that was just free, so nothing answers on it.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await stopServer(closed);
    // Act
    const started = await client.importMedia({ sourceMediaUrl: `http://127.0.0.1:${port}/gone.mp4` });
    const done = await pollUntil(
      () => client.getMedia(started.media_id),
      (current) => current.status !== "processing",
    );
    // Assess
    expect(started.status).toBe("processing");
    expect(done.status).toBe("error");
    expect(done.error).toContain("could not be downloaded");
    expect(done.media_url).toBeUndefined();
  });

  it("leaves the media in status error when its URL answers 404", async () => {
    // Prepare
    const url = `${simulator.server.baseUrl}/no/such/object.mp4`;
    // Act
    const started = await client.importMedia({ sourceMediaUrl: url });
    const done = await pollUntil(
      () => client.getMedia(started.media_id),
      (current) => current.status !== "processing",
    );
    // Assess
    expect(done.status).toBe("error");
    expect(done.error).toContain("HTTP 404");
  });
});

describe("describeVideoDevError", () => {
  it.each([
    {
      body: { error: { message: "end_time_ms is too large", code: "invalid", field: "end_time_ms" } },
      expected: { message: "end_time_ms is too large", field: "end_time_ms" },
    },
    { body: { error: "Unauthorized" }, expected: { message: "Unauthorized" } },
    {
      body: { message: "Bad clip", field: "start_time_ms" },
      expected: { message: "Bad clip", field: "start_time_ms" },
    },
    { body: { detail: "Not Found" }, expected: { message: "Not Found" } },
    {
      body: {
        detail: [{ loc: ["body", "crop", "aspect_ratio"], msg: "Input should be '16:9'", type: "enum" }],
      },
      expected: { message: "crop.aspect_ratio: Input should be '16:9'", field: "crop.aspect_ratio" },
    },
    { body: "plain text failure", expected: { message: "plain text failure" } },
  ])("reads $body", ({ body, expected }) => {
    // Prepare: the body. Act
    const described = describeVideoDevError(400, body);
    // Assess
    expect(described).toEqual(expected);
  });

  it("says nothing when the body carries no message", () => {
    // Prepare
    const bodies = [undefined, null, {}, { error: {} }, { detail: [] }];
    // Act
    const described = bodies.map((body) => describeVideoDevError(500, body));
    // Assess
    expect(described).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});
