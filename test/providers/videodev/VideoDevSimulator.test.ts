import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CROP_ASPECT_RATIOS, mediaSchema } from "../../../functions/providers/videodev/schemas";
import {
  cropDimensions,
  DEFAULT_SIMULATOR_API_KEY,
  VideoDevSimulator,
} from "../../../functions/providers/videodev/VideoDevSimulator";
import { pollUntil } from "../testing";

/** The fields these tests read from the simulator's JSON answers. */
interface Answer {
  error: { code: string; message: string; field?: string };
  media_id: string;
  clip_id: string;
  render_id: string;
  crop: unknown;
  rendered_media: { media_id: string; media_url: string; media_info: unknown };
}

const fixture = (name: string) => readFile(new URL(`../../fixtures/${name}`, import.meta.url));
const MIB = 1024 * 1024;

interface SourceServer {
  server: Server;
  base: string;
  /** Range headers received, per path. */
  ranges: Map<string, string[]>;
  /** Bytes written for the endless stream before the reader hung up. */
  endlessBytesSent: () => number;
}

/**
 * Serves source media the way S3 does (Content-Length, byte ranges), plus two generated files: a 1 GiB video
 * whose media data is streamed lazily, and a video whose moov sits after 3 MiB of media data.
 */
async function startSourceServer(files: Record<string, Buffer>): Promise<SourceServer> {
  const ranges = new Map<string, string[]>();
  let endlessSent = 0;
  const landscape = files["sample-4s-landscape.mp4"] ?? Buffer.alloc(0);
  // ftyp + moov + free + the 8-byte mdat header of the 4 s sample, with the mdat claiming 1 GiB.
  const endlessHead = Buffer.from(landscape.subarray(0, 4760 + 8));
  endlessHead.writeUInt32BE(1024 * MIB, 4760);
  const endlessLength = 4760 + 1024 * MIB;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname.slice(1);
    ranges.set(path, [...(ranges.get(path) ?? []), req.headers.range ?? ""]);
    if (path === "endless.mp4") {
      res.writeHead(200, { "content-length": String(endlessLength), "content-type": "video/mp4" });
      endlessSent = endlessHead.length;
      res.write(endlessHead);
      const zeros = Buffer.alloc(256 * 1024);
      const pump = () => {
        while (!res.destroyed && endlessSent < endlessLength) {
          endlessSent += zeros.length;
          if (!res.write(zeros)) return void res.once("drain", pump);
        }
      };
      pump();
      return;
    }
    const body = files[path];
    if (!body) {
      res.writeHead(404).end("NoSuchKey");
      return;
    }
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
    if (range) {
      const start = Number(range[1]);
      const end = range[2] ? Number(range[2]) : body.length - 1;
      res.writeHead(206, {
        "content-range": `bytes ${start}-${end}/${body.length}`,
        "content-length": String(end - start + 1),
      });
      res.end(body.subarray(start, end + 1));
      return;
    }
    res.writeHead(200, { "content-length": String(body.length), "content-type": "video/mp4" });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    server,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ranges,
    endlessBytesSent: () => endlessSent,
  };
}

describe("VideoDevSimulator", () => {
  let simulator: VideoDevSimulator;
  let sources: SourceServer;
  let api: string;
  const headers = { "content-type": "application/json", "x-api-key": DEFAULT_SIMULATOR_API_KEY };

  const call = async (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) => {
    const response = await fetch(`${api}${path}`, {
      method,
      headers: { ...headers, ...extra },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Answer };
  };

  /** Reads a media as `GET /media/{id}` shows it, checked against the client's schema. */
  const readMedia = async (mediaId: string) =>
    mediaSchema.parse(await (await fetch(`${api}/media/${mediaId}`, { headers })).json());

  /** Imports `name` from the source server, waits for the simulator to settle it and reads it back. */
  const importAndSettle = async (name: string) => {
    const started = await call("POST", "/media/import", {
      source_media_url: `${sources.base}/${name}`,
      type: "video",
    });
    await simulator.idle();
    return readMedia(started.body.media_id);
  };

  beforeAll(async () => {
    const landscape = await fixture("sample-4s-landscape.mp4");
    const moovAtEnd = await fixture("sample-6s-moov-at-end.mp4");
    // ftyp, then 3 MiB of media data, then the 6 s sample's moov: only a ranged GET reaches it cheaply.
    const bigMdat = Buffer.alloc(3 * MIB);
    bigMdat.writeUInt32BE(bigMdat.length, 0);
    bigMdat.write("mdat", 4, "latin1");
    const lateMoov = Buffer.concat([moovAtEnd.subarray(0, 32), bigMdat, moovAtEnd.subarray(95744)]);
    sources = await startSourceServer({
      "sample-4s-landscape.mp4": landscape,
      "sample-6s-moov-at-end.mp4": moovAtEnd,
      "sample-3s-portrait.MOV": await fixture("sample-3s-portrait.MOV"),
      "truncated.mp4": await fixture("truncated.mp4"),
      "not-a-video.mp4": await fixture("not-a-video.mp4"),
      "empty.mp4": await fixture("empty.mp4"),
      "late-moov.mp4": lateMoov,
    });
    simulator = new VideoDevSimulator({ processingMs: 5 });
    api = await simulator.start();
  });

  afterAll(async () => {
    await simulator.stop();
    sources.server.closeAllConnections();
    await new Promise<void>((resolve) => sources.server.close(() => resolve()));
  });

  it("refuses a request without the right X-API-Key in its error format, without echoing the key", async () => {
    // Prepare
    const wrongKey = "not-the-key-123";
    // Act
    const missing = await call("GET", "/media/x", undefined, { "x-api-key": "" });
    const wrong = await call("GET", "/media/x", undefined, { "x-api-key": wrongKey });
    // Assess
    expect(missing.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({
      error: { code: "unauthorized", message: expect.stringContaining("X-API-Key") },
    });
    expect(JSON.stringify(wrong.body)).not.toContain(wrongKey);
  });

  it("answers 422 naming the field for a body that breaks the contract, and 400 for a body that is not JSON", async () => {
    // Prepare
    const clipWithoutMedia = { start_time_ms: 0, end_time_ms: 1000 };
    // Act
    const noMedia = await call("POST", "/clip", clipWithoutMedia);
    const badRatio = await call("POST", "/clip/any/render_video", {
      crop: { enabled: true, aspect_ratio: "2:3" },
    });
    const badUrl = await call("POST", "/media/import", { source_media_url: "not a url", type: "video" });
    const notJson = await call("POST", "/clip", "{oops");
    // Assess
    expect(noMedia.status).toBe(422);
    expect(noMedia.body.error.field).toBe("from_media_id");
    expect(badRatio.status).toBe(404); // the clip is checked first: it does not exist
    expect(badUrl.status).toBe(422);
    expect(badUrl.body.error.field).toBe("source_media_url");
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe("invalid_json");
  });

  it("validates a render's crop against the seven documented ratios", async () => {
    // Prepare
    const media = await importAndSettle("sample-4s-landscape.mp4");
    const clip = await call("POST", "/clip", {
      start_time_ms: 0,
      end_time_ms: 1000,
      from_media_id: media.media_id,
    });
    // Act
    const bad = await call("POST", `/clip/${clip.body.clip_id}/render_video`, {
      crop: { enabled: true, aspect_ratio: "2:3", smart_crop: false },
    });
    const noCrop = await call("POST", `/clip/${clip.body.clip_id}/render_video`, {});
    // Assess
    expect(bad.status).toBe(422);
    expect(bad.body.error.field).toBe("crop.aspect_ratio");
    expect(noCrop.status).toBe(200);
    expect(noCrop.body.crop).toEqual({ enabled: false, aspect_ratio: "16:9", smart_crop: false });
  });

  it("answers 404 in its error format for unknown ids and routes", async () => {
    // Prepare: nothing exists under these ids.
    // Act
    const media = await call("GET", "/media/media_missing");
    const render = await call("GET", "/clip/clip_missing/render/render_missing");
    const route = await call("GET", "/nowhere");
    // Assess
    for (const answer of [media, render, route]) {
      expect(answer.status).toBe(404);
      expect(answer.body.error).toMatchObject({ code: "not_found", message: expect.any(String) });
    }
  });

  it("answers an injected 429 with a Retry-After header, and an injected 503 in its error format", async () => {
    // Prepare
    simulator.server.faults.rateLimit({ times: 1, retryAfterSeconds: 3 }).unavailable({ times: 1 });
    // Act
    const limited = await call("GET", "/media/any");
    const unavailable = await call("GET", "/media/any");
    // Assess
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("3");
    expect(limited.body.error.code).toBe("rate_limited");
    expect(unavailable.status).toBe(503);
    expect(unavailable.body.error.code).toBe("service_unavailable");
  });

  it("stays processing for processingMs, then completes", async () => {
    // Prepare: an hour of processing, so "still processing" holds however long the machine stalls.
    const slow = new VideoDevSimulator({ processingMs: 60 * 60_000 });
    const base = await slow.start();
    try {
      const started = await fetch(`${base}/media/import`, {
        method: "POST",
        headers: { ...headers },
        body: JSON.stringify({ source_media_url: `${sources.base}/sample-4s-landscape.mp4`, type: "video" }),
      }).then((response) => response.json() as Promise<{ media_id: string }>);
      const read = () =>
        fetch(`${base}/media/${started.media_id}`, { headers }).then(
          (response) => response.json() as Promise<{ status: string }>,
        );
      // Act
      const early = (await read()).status;
      // The time is up: the next read, once the source has been probed, finds the import complete.
      slow.clock.processingMs = 0;
      const late = await pollUntil(read, (media) => media.status !== "processing", 1_000);
      // Assess
      expect(early).toBe("processing");
      expect(late.status).toBe("complete");
      expect(slow.media(started.media_id)?.sizeBytes).toBe(92677);
    } finally {
      await slow.stop();
    }
  });

  it.each([
    { name: "sample-4s-landscape.mp4", info: { duration_ms: 4000, width: 320, height: 180, fps: 25 } },
    { name: "sample-6s-moov-at-end.mp4", info: { duration_ms: 6000, width: 320, height: 180, channels: 0 } },
    { name: "sample-3s-portrait.MOV", info: { duration_ms: 3000, width: 180, height: 320 } },
  ])("measures $name from its moov box", async ({ name, info }) => {
    // Prepare: the fixture on the source server. Act
    const media = await importAndSettle(name);
    // Assess
    expect(media.status).toBe("complete");
    expect(media.media_info).toMatchObject({ type: "video", ...info });
  });

  it("reports audio channels when the source has an audio track", async () => {
    // Prepare: the 4 s sample carries AAC audio. Act
    const media = await importAndSettle("sample-4s-landscape.mp4");
    // Assess
    expect(media.media_info?.channels).toBeGreaterThan(0);
  });

  it.each([
    { name: "truncated.mp4", reason: "truncated" },
    { name: "not-a-video.mp4", reason: "not an MP4/MOV video" },
    { name: "empty.mp4", reason: "empty" },
    { name: "missing.mp4", reason: "HTTP 404" },
  ])("fails the import of $name asynchronously: $reason", async ({ name, reason }) => {
    // Prepare
    const body = { source_media_url: `${sources.base}/${name}`, type: "video" };
    // Act
    const started = await call("POST", "/media/import", body);
    await simulator.idle();
    const media = await readMedia(started.body.media_id);
    // Assess
    expect(started.status).toBe(200);
    expect(media.status).toBe("error");
    expect(media.error).toContain(reason);
  });

  it("reads only the start of a huge source instead of downloading it", async () => {
    // Prepare: a 1 GiB file whose media data follows its moov. Act
    const media = await importAndSettle("endless.mp4");
    // Assess
    expect(media.status).toBe("complete");
    expect(media.media_info?.duration_ms).toBe(4000);
    expect(sources.endlessBytesSent()).toBeLessThan(16 * MIB);
  });

  it("jumps over a large mdat with a ranged GET to reach a moov at the end", async () => {
    // Prepare: 3 MiB of media data before the moov. Act
    const media = await importAndSettle("late-moov.mp4");
    // Assess
    expect(media.status).toBe("complete");
    expect(media.media_info?.duration_ms).toBe(6000);
    expect(sources.ranges.get("late-moov.mp4")).toEqual(["", `bytes=${32 + 3 * MIB}-`]);
  });

  it("checks a clip against the media's duration and status", async () => {
    // Prepare
    const media = await importAndSettle("sample-4s-landscape.mp4");
    simulator.failNextImport("boom");
    const failed = await importAndSettle("sample-4s-landscape.mp4");
    // Act
    const tooLong = await call("POST", "/clip", {
      start_time_ms: 0,
      end_time_ms: 4001,
      from_media_id: media.media_id,
    });
    const exact = await call("POST", "/clip", {
      start_time_ms: 0,
      end_time_ms: 4000,
      from_media_id: media.media_id,
    });
    const notReady = await call("POST", "/clip", {
      start_time_ms: 0,
      end_time_ms: 100,
      from_media_id: failed.media_id,
    });
    const unknown = await call("POST", "/clip", {
      start_time_ms: 0,
      end_time_ms: 100,
      from_media_id: "media_nope",
    });
    // Assess
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.field).toBe("end_time_ms");
    expect(exact.status).toBe(200);
    expect(failed.error).toBe("boom");
    expect(notReady.status).toBe(409);
    expect(notReady.body.error.field).toBe("from_media_id");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.field).toBe("from_media_id");
  });

  it("logs render polls under their route pattern and serves the rendered media from its own URL", async () => {
    // Prepare
    const media = await importAndSettle("sample-4s-landscape.mp4");
    const clip = await call("POST", "/clip", {
      start_time_ms: 0,
      end_time_ms: 1000,
      from_media_id: media.media_id,
    });
    const render = await call("POST", `/clip/${clip.body.clip_id}/render_video`, {
      crop: { enabled: true, aspect_ratio: "4:5", smart_crop: true },
    });
    const before = simulator.server.count("GET /clip/:clipId/render/:renderId");
    await simulator.idle();
    // Act
    const done = await call("GET", `/clip/${clip.body.clip_id}/render/${render.body.render_id}`);
    const asMedia = await call("GET", `/media/${done.body.rendered_media.media_id}`);
    const bytes = Buffer.from(await (await fetch(done.body.rendered_media.media_url)).arrayBuffer());
    // Assess
    expect(simulator.server.count("GET /clip/:clipId/render/:renderId")).toBe(before + 1);
    expect(done.body.rendered_media.media_info).toMatchObject({ width: 144, height: 180, duration_ms: 1000 });
    expect(asMedia.body).toEqual(done.body.rendered_media);
    expect(bytes.equals(await fixture("sample-4s-landscape.mp4"))).toBe(true);
  });

  it("does not serve a rendered media before the render is complete", async () => {
    // Prepare
    const slow = new VideoDevSimulator({ processingMs: 10_000 });
    const base = await slow.start();
    try {
      // Act
      const answer = await fetch(`${base}/storage/media_unknown/media.mp4`);
      // Assess
      expect(answer.status).toBe(404);
    } finally {
      await slow.stop();
    }
  });
});

describe("cropDimensions", () => {
  it.each([
    { ratio: "9:16", expected: { width: 100, height: 180 } },
    { ratio: "1:1", expected: { width: 180, height: 180 } },
    { ratio: "16:9", expected: { width: 320, height: 180 } },
    { ratio: "4:3", expected: { width: 240, height: 180 } },
    { ratio: "3:4", expected: { width: 134, height: 180 } },
    { ratio: "4:5", expected: { width: 144, height: 180 } },
    { ratio: "5:4", expected: { width: 224, height: 180 } },
  ] as const)("crops 320x180 to $ratio as $expected.width x $expected.height", ({ ratio, expected }) => {
    // Prepare: a landscape source. Act
    const size = cropDimensions(320, 180, ratio);
    // Assess
    expect(size).toEqual(expected);
  });

  it("crops a portrait source to a landscape ratio by cutting its height, to even sizes", () => {
    // Prepare: every ratio. Act
    const sizes = CROP_ASPECT_RATIOS.map((ratio) => cropDimensions(181, 321, ratio));
    // Assess
    expect(cropDimensions(180, 320, "16:9")).toEqual({ width: 180, height: 100 });
    for (const size of sizes) {
      expect(size.width <= 181 && size.height <= 321).toBe(true);
      expect(size.width % 2 === 0 || size.width === 181).toBe(true);
      expect(size.height % 2 === 0 || size.height === 321).toBe(true);
    }
  });
});
